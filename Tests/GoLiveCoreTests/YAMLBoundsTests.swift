import Foundation
import Testing
@testable import GoLiveCore

/// Finding 7 of issue 25: YAML that stands for far more than it says. Each is refused with its
/// place, quickly, and ordinary anchors still work.
@Suite struct YAMLBoundsTests {
    static func bomb(levels: Int, asKeys: Bool) -> String {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...levels {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        if asKeys { text += "bomb:\n  ? *a\(levels)\n  : 1\n  ? *a\(levels - 1)\n  : 2\n" }
        return text
    }

    @Test func aliasesUsedAsKeysAreRefusedAtTheirPlace() throws {
        let text = "name: t\n" + Self.bomb(levels: 4, asKeys: true)
        do {
            _ = try YAMLDocument(file: "rollout.yaml", text: text)
            Issue.record("an alias bomb in mapping keys was composed")
        } catch let e as ConfigError {
            #expect(e.file == "rollout.yaml" && e.line == 8 && "\(e)".contains("alias used as a mapping key"), "\(e)")
        }
        do {
            _ = try YAMLDocument(file: "policy.yaml", text: "? [a, b]\n: 1\n")
            Issue.record("a complex key was accepted")
        } catch let e as ConfigError {
            #expect(e.line == 1 && "\(e)".contains("complex mapping key"), "\(e)")
        }
    }

    @Test func aBillionLaughsIsRefusedBeforeItIsExpanded() throws {
        do {
            _ = try YAMLDocument(file: "rollout.yaml", text: Self.bomb(levels: 9, asKeys: false))
            Issue.record("a document standing for 10^10 values was composed")
        } catch let e as ConfigError {
            #expect("\(e)".contains("once its aliases are expanded"), "\(e)")
        }
    }

    @Test func ordinaryAnchorsStillWork() throws {
        let doc = try YAMLDocument(file: "t.yaml", text: "base: &b {zone: UTC}\nother: *b\nlist: [*b, *b]\n")
        #expect(doc.root != nil)
    }

    /// Through the loader every command uses, rollout.yaml and the policy alike.
    @Test func theConfigurationLoaderRefusesTheBombWithItsFile() throws {
        let dir = Fixtures.tempDir("yaml-bomb")
        try Data((Fixtures.smallTeam + Self.bomb(levels: 9, asKeys: true)).utf8).write(to: dir.appendingPathComponent("rollout.yaml"))
        try Data(Policy.sectionNineYAML.utf8).write(to: dir.appendingPathComponent("policy.yaml"))
        #expect(throws: ConfigError.self) { try RolloutConfigParser.load(directory: dir) }
    }
}
