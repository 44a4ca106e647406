import Foundation
import GoLiveCore
import Yams

public enum ThemeColor: Equatable, Sendable, Hashable {
    case terminalDefault
    case index(Int)
}

public struct ThemeAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let bold = ThemeAttributes(rawValue: 1)
    public static let reverse = ThemeAttributes(rawValue: 2)
    public static let underline = ThemeAttributes(rawValue: 4)
    public static let dim = ThemeAttributes(rawValue: 8)
    static let names: [(String, ThemeAttributes)] = [("bold", .bold), ("reverse", .reverse), ("underline", .underline), ("dim", .dim)]
}

public struct RoleStyle: Equatable, Sendable, Hashable {
    public var fg: ThemeColor = .terminalDefault
    public var bg: ThemeColor = .terminalDefault
    public var attrs: ThemeAttributes = []
}

/// A palette plus role → style. `monochrome` uses attributes only, for NO_COLOR and dumb terminals.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [Role: RoleStyle]
    public var usesColor: Bool

    public func style(_ role: Role) -> RoleStyle { styles[role] ?? styles[.normal] ?? RoleStyle() }

    public static let monochrome: Theme = {
        var s: [Role: RoleStyle] = [:]
        func a(_ role: Role, _ attrs: ThemeAttributes) { s[role] = RoleStyle(attrs: attrs) }
        a(.normal, []); a(.dim, [.dim]); a(.border, []); a(.title, [.bold]); a(.header, [.reverse])
        a(.headerReady, [.reverse, .bold]); a(.headerBlocked, [.reverse, .bold, .underline]); a(.paneFocus, [.bold, .underline])
        a(.selected, [.reverse]); a(.ok, []); a(.warn, [.bold]); a(.bad, [.bold, .underline]); a(.info, [])
        a(.accent, [.bold]); a(.footerKey, [.reverse]); a(.footerText, []); a(.message, [.bold]); a(.error, [.bold, .reverse])
        a(.dialog, []); a(.dialogTitle, [.bold, .reverse]); a(.input, [.underline]); a(.banner, [.reverse, .bold])
        return Theme(name: "monochrome", styles: s, usesColor: false)
    }()
}

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
    public static func builtInDirectory() -> URL? { try? SampleData.locate(folder: "themes", marker: "dark.yaml") }

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

extension Screen {
    /// The styles of the frame under a theme, one letter per distinct style, with a legend: lets a
    /// snapshot show what the eye would see without a terminal.
    public func styleMap(_ theme: Theme) -> String {
        var letters: [RoleStyle: Character] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var rows: [String] = []
        for y in 0..<height {
            var row = ""
            for x in 0..<width {
                let s = theme.style(self[x, y].role)
                if letters[s] == nil { letters[s] = alphabet[min(letters.count, alphabet.count - 1)] }
                row.append(letters[s]!)
            }
            rows.append(row)
        }
        func describe(_ c: ThemeColor) -> String { if case let .index(n) = c { return String(n) }; return "default" }
        let legend = letters.sorted { $0.value < $1.value }.map { style, letter in
            let attrs = ThemeAttributes.names.filter { style.attrs.contains($0.1) }.map(\.0).joined(separator: "+")
            return "\(letter): fg \(describe(style.fg)) bg \(describe(style.bg))\(attrs.isEmpty ? "" : " " + attrs)"
        }
        return rows.joined(separator: "\n") + "\n--\n" + legend.joined(separator: "\n")
    }
}
