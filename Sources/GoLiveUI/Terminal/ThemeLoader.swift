import Foundation
import GoLiveCore
import Yams

public enum ThemeLoader {
    public static let builtInOrder = ["dark", "light", "high-contrast", "colorblind", "monochrome"]

    public static func parse(text: String, file: String) throws -> Theme {
        let doc = try YAMLDocument(file: file, text: text)
        guard let root = doc.root else { throw ConfigError(file: file, line: 1, column: 1, message: "the theme is empty; expected name, palette and roles") }
        var name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var palette: [String: ThemeColor] = ["default": .terminalDefault]
        var rolesNode: Node?
        for (key, _, value) in try doc.mapping(root, allowed: ["name", "palette", "roles"], what: "a theme") {
            switch key {
            case "name": name = try doc.string(value, what: "'name'")
            case "palette":
                for (colour, _, v) in try doc.mapping(value, allowed: [], what: "'palette'") {
                    let text = try doc.string(v, what: "colour '\(colour)'")
                    if text == "default" { palette[colour] = .terminalDefault; continue }
                    guard let n = Int(text), (0...255).contains(n) else {
                        throw doc.error(v, "colour '\(colour)' must be a terminal colour number 0–255 or 'default', found '\(text)'")
                    }
                    palette[colour] = .index(n)
                }
            default: rolesNode = value
            }
        }
        guard let rolesNode else { throw doc.error(root, "a theme needs 'roles'") }
        var styles: [Role: RoleStyle] = [:]
        for (roleName, keyNode, value) in try doc.mapping(rolesNode, allowed: Role.allCases.map(\.rawValue), what: "'roles'") {
            guard let role = Role(rawValue: roleName) else { throw doc.error(keyNode, "unknown role") }
            var style = RoleStyle()
            for (k, _, v) in try doc.mapping(value, allowed: ["fg", "bg", "attrs"], what: "role '\(roleName)'") {
                switch k {
                case "attrs":
                    for (a, n) in try doc.stringList(v, what: "'attrs'") {
                        guard let attr = ThemeAttributes.names.first(where: { $0.0 == a })?.1 else {
                            throw doc.error(n, "unknown attribute '\(a)'; \(Suggest.didYouMean(a, in: ThemeAttributes.names.map(\.0)))")
                        }
                        style.attrs.insert(attr)
                    }
                default:
                    let c = try doc.string(v, what: "'\(k)'")
                    let colour: ThemeColor
                    if let known = palette[c] { colour = known } else if let n = Int(c), (0...255).contains(n) { colour = .index(n) } else {
                        throw doc.error(v, "unknown colour '\(c)'; \(Suggest.didYouMean(c, in: Array(palette.keys)))")
                    }
                    if k == "fg" { style.fg = colour } else { style.bg = colour }
                }
            }
            styles[role] = style
        }
        for role in Role.allCases where styles[role] == nil { styles[role] = styles[.normal] ?? RoleStyle() }
        let usesColor = styles.values.contains { $0.fg != .terminalDefault || $0.bg != .terminalDefault }
        return Theme(name: name, styles: styles, usesColor: usesColor)
    }

    /// Built-in theme files ship in `themes/`; they are found wherever the binary runs from.
    public static func builtInDirectory() -> URL? { try? BundledFolder.locate("themes", marker: "dark.yaml") }

    public static func userDirectory(environment: [String: String]) -> URL? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("golive/themes") }
        if let home = environment["HOME"] { return URL(fileURLWithPath: home).appendingPathComponent(".config/golive/themes") }
        return nil
    }

    public struct Loaded: Sendable {
        public var themes: [Theme]
        public var problems: [String]
    }

    /// Every theme on offer, built-in first. A broken file is reported and skipped, never fatal.
    public static func loadAll(environment: [String: String]) -> Loaded {
        var themes: [Theme] = []
        var problems: [String] = []
        var files: [URL] = []
        if let dir = builtInDirectory() {
            files += builtInOrder.map { dir.appendingPathComponent("\($0).yaml") }
        }
        if let dir = userDirectory(environment: environment),
           let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { dir.appendingPathComponent($0) }
        }
        for file in files {
            do {
                guard let data = FileManager.default.contents(atPath: file.path) else { throw InputError("\(file.path): cannot read") }
                let theme = try parse(text: String(decoding: data, as: UTF8.self), file: file.path)
                themes.removeAll { $0.name == theme.name }
                themes.append(theme)
            } catch {
                problems.append("theme \(file.lastPathComponent) skipped: \(error)")
            }
        }
        if !themes.contains(where: { $0.name == "monochrome" }) { themes.append(.monochrome) }
        return Loaded(themes: themes, problems: problems)
    }

    /// NO_COLOR, --no-color, TERM=dumb and colourless terminals get monochrome.
    public static func wantsMonochrome(environment: [String: String], noColorFlag: Bool) -> Bool {
        if noColorFlag { return true }
        if let v = environment["NO_COLOR"], !v.isEmpty { return true }
        return environment["TERM"] == "dumb"
    }
}
