import Foundation
import Testing
@testable import GoLiveCore

/// `golive team add` and `team remove` edit rollout.yaml line by line and never leave it half
/// written or unparseable.
@Suite struct TeamEditTests {
    @Test func addAndRemoveKeepTheRestOfTheFile() throws {
        let store = try Fixtures.store(rollout: "# our team\n" + Fixtures.smallTeam, policy: Policy.sectionNineYAML)
        try TeamEdit.apply({ try TeamEdit.adding(Operator(id: "erin", name: "erin", roles: ["sre"]), to: $0) }, store: store)
        var config = try store.loadConfig()
        #expect(config.member("erin")?.roles == ["sre"])
        let text = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        #expect(text.hasPrefix("# our team\n") && text.contains("  - {id: alice, roles: [captain]}"))
        try TeamEdit.apply({ try TeamEdit.removing("dan", from: $0) }, store: store)
        config = try store.loadConfig()
        #expect(config.member("dan") == nil && config.member("alice") != nil && config.member("erin") != nil)
        #expect(throws: InputError.self) { try TeamEdit.apply({ try TeamEdit.removing("nobody", from: $0) }, store: store) }
        #expect(throws: InputError.self) { try TeamEdit.adding(Operator(id: "x y", name: "x", roles: ["sre"]), to: text) }
    }

    @Test func anEditThatBreaksTheConfigurationIsNotKept() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: Policy.sectionNineYAML)
        let before = Fixtures.bytes(store.rolloutURL)
        // An unknown role name parses; a duplicate id does not: the file is put back whole.
        #expect(throws: (any Error).self) {
            try TeamEdit.apply({ try TeamEdit.adding(Operator(id: "alice", name: "alice", roles: ["captain"]), to: $0) }, store: store)
        }
        #expect(Fixtures.bytes(store.rolloutURL) == before)
    }
}
