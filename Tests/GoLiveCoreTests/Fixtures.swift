import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sampleData = repoRoot.appendingPathComponent("sample-data")

    static func tempDir(_ name: String = "t") -> URL {
        TestFolder.make(name)
    }

    /// A fresh copy of the sample rollout, journal included.
    static func sampleStore() throws -> Store {
        try StoreSetup.create(at: tempDir("sample").appendingPathComponent("store"), from: sampleData, name: "",
                              actor: actor("alice"), withDemoKeys: true)
    }

    static func actor(_ id: String) -> Actor { Actor(operatorID: id, osUser: "tester", session: "s-test") }

    static func bytes(_ url: URL) -> Data { FileManager.default.contents(atPath: url.path) ?? Data() }

    /// Writes a store with the given rollout.yaml and policy text.
    static func store(rollout: String, policy: String? = nil) throws -> Store {
        let dir = tempDir("store")
        try Data(rollout.utf8).write(to: dir.appendingPathComponent("rollout.yaml"))
        if let policy { try Data(policy.utf8).write(to: dir.appendingPathComponent("policy.yaml")) }
        let store = Store(directory: dir)
        let config = try store.loadConfig()
        // Made long before any test's clock: a journal's time never runs backwards.
        try store.append(actor: actor("alice"), now: Date(timeIntervalSince1970: 1_577_836_800)) { _ in
            [EventDraft(.rolloutInitialized, EventData(name: "t")),
             EventDraft(.configAdopted, EventData(reason: "initial configuration", files: config.files, configSha256: config.sha256))]
        }
        return store
    }

    /// Adopts the configuration on disk as alice (the captain of every fixture), as an operator
    /// would after editing it: edits count only once adopted.
    static func adopt(_ store: Store, _ why: String = "test: configuration edited") throws {
        try adoptWithConsent(why) { _ in Cockpit(store: store) }
    }

    /// Adopts as alice; a loosening change is first proposed by alice and approved by `second`,
    /// as a team does it (issue 26: loosening takes two people). `cockpit` gives each person's.
    static func adoptWithConsent(_ why: String, second: String = "bob", cockpit: (String) -> Cockpit) throws {
        do {
            try cockpit("alice").adoptConfiguration(reason: why, as: actor("alice"))
        } catch let r as Refusal where r.reason.contains("it loosens what the canary rests on") {
            try cockpit("alice").proposeConfiguration(reason: why, as: actor("alice"))
            let digest = try #require(try cockpit(second).pendingProposal()).approval.digest
            try cockpit(second).approveConfiguration(digest: digest, reason: "agreed", as: actor(second))
            try cockpit("alice").adoptConfiguration(reason: why, as: actor("alice"))
        }
    }

    static let smallTeam = """
    name: t
    version: "1"
    policy: policy.yaml
    team:
      - {id: alice, roles: [captain]}
      - {id: bob, roles: [safety]}
      - {id: dan, roles: [eval]}
    capabilities:
      - {name: a, owner: x, transport: y, timeout: 1s, retry_policy: none, idempotency: k, unknown_side_effect_path: p, outcome_telemetry: t}

    """
}
