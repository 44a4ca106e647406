import Foundation
import Testing

/// The layer rules of ARCHITECTURE.md, checked on the source: a file may use only types declared
/// in its own folder or in the folders its layer may depend on. Breaking a rule (say, Journal/
/// starting to use Cockpit) fails here with the file, the type and the rule, before a reviewer
/// has to notice.
@Suite struct LayerRuleTests {
    static let sources = Fixtures.repoRoot.appendingPathComponent("Sources")

    /// The canary's record vocabulary: values the journal carries and the fold applies. They sit
    /// below the journal; the canary's logic (engine, watch, hooks, cohorts) sits above readiness.
    static let canaryRecords: Set<String> = ["CanaryStage", "CanaryState", "CanaryTransition", "CanaryApproval", "HookResult", "CanaryFold", "RaisedAlert", "CanaryRules"]

    static let coreRules: [String: Set<String>] = {
        let base: Set<String> = ["Support", "Catalog", "Config"]
        let truth = base.union(["Journal", "State", "Canary/records"])
        return [
            "Support": [],
            "Catalog": ["Support"],
            "Config": ["Support", "Catalog"],
            "Journal": truth,
            "State": truth,
            "Canary/records": truth,
            "Readiness": truth,
            "Probes": base,
            "Canary": truth.union(["Readiness", "Probes"]),
            "Audit": truth.union(["Readiness", "Canary"]),
            "Commands": truth.union(["Readiness", "Probes", "Canary", "Audit"]),
        ]
    }()

    static let uiRules: [String: Set<String>] = [
        "Terminal": [],
        "Model": ["Terminal"],
        "Update": ["Terminal", "Model"],
        "Views": ["Terminal", "Model", "Update"],
        "App": ["Terminal", "Model", "Update", "Views"],
    ]

    struct SourceFile {
        var path: String
        var layer: String
        var code: String
    }

    static func layer(of path: String, in module: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return "(top)" }
        let file = String(parts.last!.dropLast(".swift".count))
        if parts[0] == "Canary" && canaryRecords.contains(file) { return "Canary/records" }
        return parts[0]
    }

    static func files(of module: String) throws -> [SourceFile] {
        let root = sources.appendingPathComponent(module)
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        var out: [SourceFile] = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            out.append(SourceFile(path: path, layer: layer(of: path, in: module), code: code(of: text)))
        }
        return out
    }

    /// The text with comments and string literals blanked, so a word in a doc comment or a
    /// message is not a dependency.
    static func code(of text: String) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        chars.append("\n")
        while i < chars.count - 1 {
            let c = chars[i], next = chars[i + 1]
            if c == "/" && next == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/" && next == "*" {
                i += 2
                while i < chars.count - 1 && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
                continue
            }
            if c == "\"" {
                let triple = i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\""
                i += triple ? 3 : 1
                var kept = ""
                while i < chars.count {
                    // An interpolation is code: `"\(Cockpit.name)"` uses Cockpit.
                    if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "(" {
                        var depth = 1
                        i += 2
                        var inner = ""
                        while i < chars.count, depth > 0 {
                            if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                            if depth > 0 { inner.append(chars[i]) }
                            i += 1
                        }
                        kept += " " + code(of: inner) + " "
                        continue
                    }
                    if chars[i] == "\\" { i += 2; continue }
                    if triple ? (i + 2 < chars.count && chars[i] == "\"" && chars[i + 1] == "\"" && chars[i + 2] == "\"") : chars[i] == "\"" { break }
                    if !triple && chars[i] == "\n" { break }
                    i += 1
                }
                i += triple ? 3 : 1
                out.append("\"\"")
                out.append(kept)
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Types declared at the top level of a file (column 0), by name.
    static func declarations(in code: String) -> [String] {
        let kinds: Set<Substring> = ["struct", "enum", "class", "protocol", "actor", "typealias"]
        return code.split(separator: "\n").compactMap { line in
            guard let first = line.first, first.isLetter || first == "@" else { return nil }
            let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "<" || $0 == "{" || $0 == "=" })
            guard let k = words.firstIndex(where: { kinds.contains($0) }), k + 1 < words.count else { return nil }
            return String(words[k + 1])
        }
    }

    static func identifiers(in code: String) -> Set<String> {
        var out = Set<String>()
        var current = ""
        for c in code {
            if c.isLetter || c.isNumber || c == "_" { current.append(c) } else {
                if let f = current.first, f.isUppercase { out.insert(current) }
                current = ""
            }
        }
        return out
    }

    static let memberPattern = try! NSRegularExpression(pattern: #"^    (?:(?:public|package|internal|private|fileprivate|static|final|mutating|nonisolated|override|@discardableResult)\s+)*func\s+([A-Za-z_][A-Za-z0-9_]*)"#)

    /// Members declared in `extension T` blocks at the top level of a file, with the type extended.
    static func extensionMembers(in code: String) -> [(type: String, member: String)] {
        var out: [(String, String)] = []
        var extended: String?
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("}") { extended = nil; continue }
            if let first = line.first, first.isLetter || first == "@" {
                let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "{" || $0 == "<" })
                extended = words.firstIndex(of: "extension").flatMap { $0 + 1 < words.count ? String(words[$0 + 1]) : nil }
                continue
            }
            guard let type = extended else { continue }
            let text = String(line)
            if let m = memberPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), let r = Range(m.range(at: 1), in: text) {
                out.append((type, String(text[r])))
            }
        }
        return out
    }

    /// Methods a layer adds to a type of another layer (`extension Store { func cockpitThing() }`
    /// in Commands/), declared nowhere else: a file that calls one (`.cockpitThing(`) depends on
    /// the layer that added it without naming any of its types. Methods only: a property's name
    /// cannot be told from an enum case's (`.required`) by reading text.
    static func crossLayerMembers(_ all: [SourceFile], owner: [String: String]) -> [String: String] {
        var declaredIn: [String: Set<String>] = [:]
        for file in all {
            for line in file.code.split(separator: "\n") {
                let text = String(line)
                let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
                for (i, w) in words.enumerated() where (w == "func" || w == "var" || w == "let" || w == "case") && i + 1 < words.count {
                    declaredIn[String(words[i + 1]), default: []].insert(file.layer)
                }
            }
        }
        var out: [String: String] = [:]
        for file in all {
            for (type, member) in extensionMembers(in: file.code) {
                guard let home = owner[type], home != file.layer, declaredIn[member] == [file.layer] else { continue }
                out[member] = file.layer
            }
        }
        return out
    }

    /// Every use of a type from a layer the file's layer may not depend on.
    static func violations(module: String, rules: [String: Set<String>]) throws -> [String] {
        let all = try files(of: module)
        var owner: [String: String] = [:]
        for file in all { for name in declarations(in: file.code) { owner[name] = file.layer } }
        let added = crossLayerMembers(all, owner: owner)
        var found: [String] = []
        for file in all {
            guard let allowed = rules[file.layer] else {
                found.append("\(module)/\(file.path): folder '\(file.layer)' is not a layer of ARCHITECTURE.md")
                continue
            }
            for name in identifiers(in: file.code).sorted() {
                guard let layer = owner[name], layer != file.layer, !allowed.contains(layer) else { continue }
                found.append("\(module)/\(file.path) uses \(name) from \(layer)/, but \(file.layer)/ may use only: \(allowed.sorted().joined(separator: ", "))")
            }
            for (member, layer) in added.sorted(by: { $0.key < $1.key }) where layer != file.layer && !allowed.contains(layer) {
                guard file.code.contains(".\(member)(") else { continue }
                found.append("\(module)/\(file.path) calls .\(member), which \(layer)/ adds by extension, but \(file.layer)/ may use only: \(allowed.sorted().joined(separator: ", "))")
            }
        }
        return found
    }

    @Test func coreFilesUseOnlyTheLayersBelowThem() throws {
        let found = try Self.violations(module: "GoLiveCore", rules: Self.coreRules)
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func cockpitFilesUseOnlyTheLayersBelowThem() throws {
        let found = try Self.violations(module: "GoLiveUI", rules: Self.uiRules)
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func onlyTheCursesAdapterImportsCurses() throws {
        var importers: [String] = []
        for module in ["GoLiveCore", "GoLiveUI", "golive"] {
            let root = Self.sources.appendingPathComponent(module)
            for case let path as String in FileManager.default.enumerator(atPath: root.path)! where path.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
                if text.contains("import CNcurses") { importers.append("\(module)/\(path)") }
                if module == "GoLiveCore" {
                    #expect(!text.contains("import GoLiveUI") && !text.contains("import ArgumentParser"), "\(path): the core imports a front end")
                }
            }
        }
        #expect(importers == ["GoLiveUI/Terminal/CursesTerminal.swift"])
    }

    /// The front ends only ask: every write goes through the core's decision (`Cockpit`), never
    /// the journal's own append, line encoder or repair, which are `package`, not public, for the
    /// benchmark's generators alone.
    @Test func frontEndsNeverWriteTheJournalThemselves() throws {
        var found: [String] = []
        for module in ["GoLiveUI", "golive"] {
            for file in try Self.files(of: module) {
                for primitive in ["append(actor:", "encodeLine(", "repairTornTail("] where file.code.contains(primitive) {
                    found.append("\(module)/\(file.path) calls \(primitive)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        // The checker sees a planted call.
        #expect(Self.code(of: "try store.append(actor: a, now: n) { _ in [] }").contains("append(actor:"))
    }

    /// The checker itself: a planted use of Cockpit in Journal/ is caught.
    @Test func theCheckerCatchesAJournalFileUsingACommand() throws {
        let planted = "struct Planted { func f(c: Cockpit) {} }"
        #expect(Self.identifiers(in: Self.code(of: planted)).contains("Cockpit"))
        #expect(!Self.identifiers(in: Self.code(of: "// Cockpit\nlet s = \"Cockpit\"")).contains("Cockpit"))
        #expect(Self.declarations(in: "public struct Cockpit: Sendable {\n    struct Inner {}\n}") == ["Cockpit"])
        #expect(!(Self.coreRules["Journal"] ?? []).contains("Commands"))
        // A use inside a string's interpolation is a use; the string's words are not.
        let interpolated = Self.identifiers(in: Self.code(of: #"let s = "seen by \(Cockpit.name) in Journal""#))
        #expect(interpolated.contains("Cockpit") && !interpolated.contains("Journal"))
    }

    /// The checker itself: a method Commands/ adds to Store by extension, called from Journal/,
    /// is a use of Commands/ although no type of it is named.
    @Test func theCheckerCatchesAMethodAddedByExtensionFromAbove() throws {
        let files = [
            SourceFile(path: "Journal/Store.swift", layer: "Journal", code: Self.code(of: "public final class Store {\n    func load() { self.plantedCockpitThing() }\n}\n")),
            SourceFile(path: "Commands/Store+Planted.swift", layer: "Commands", code: Self.code(of: "extension Store {\n    func plantedCockpitThing() {}\n}\n")),
        ]
        var owner: [String: String] = [:]
        for file in files { for name in Self.declarations(in: file.code) { owner[name] = file.layer } }
        #expect(Self.crossLayerMembers(files, owner: owner) == ["plantedCockpitThing": "Commands"])
    }

    /// Store files are opened one way (issue 25): the store's code reads and writes them only
    /// through SystemCall (no links followed, regular files) and the durable writer, never
    /// through Foundation's readers, which follow links (StoreSetup's copy of a template folder
    /// included: it follows a link only to a place inside that folder).
    @Test func storeCodeOpensFilesOneWay() throws {
        let readers = ["Data(contentsOf", "contents(atPath", "String(contentsOf", "FileHandle(", "fopen(", "InputStream("]
        var found: [String] = []
        for file in try Self.files(of: "GoLiveCore") where file.path.hasPrefix("Journal/") {
            for reader in readers where file.code.contains(reader) { found.append("\(file.path) reads with \(reader)") }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        #expect(Self.code(of: "let d = try Data(contentsOf: url)").contains("Data(contentsOf"), "the checker sees a planted reader")
    }
}
