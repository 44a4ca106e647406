import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Finding 8 of issue 25: hold and rollback act on the configuration adopted in the journal (its
/// team, its hook and the hook's adopted text), never on what the files on disk say now.
@Suite(.serialized) struct ProvenLeverTests {
    /// The sample (signed, demo keys), whose hook writes router.txt in the store.
    static func store() throws -> (Store, Cockpit) {
        let store = try Fixtures.sampleStore()
        return (store, Cockpit(store: store, signer: DecisionSigner()))
    }

    static func router(_ store: Store) -> String {
        (try? String(contentsOf: store.directory.appendingPathComponent("router.txt"), encoding: .utf8)) ?? ""
    }

    @Test func aHookReplacedOnDiskIsNotWhatRollbackRuns() throws {
        let (store, cockpit) = try Self.store()
        let hook = store.directory.appendingPathComponent("scripts/set-weight.sh")
        try Data("#!/bin/sh\necho pretending\nexit 0\n".utf8).write(to: hook)
        let outcome = try cockpit.perform(.canary(.rollback(reason: "errors rising")), as: Fixtures.actor("alice"))
        #expect(outcome.hook?.outcome == .applied)
        #expect(Self.router(store).contains("stage=rolled_back"), "the adopted hook did not run: router says \(Self.router(store))")
    }

    @Test func aHookPointedAtAnotherFileOnDiskIsNotRun() throws {
        let (store, cockpit) = try Self.store()
        let evil = store.directory.appendingPathComponent("scripts/evil.sh")
        try Data("#!/bin/sh\ntouch \"$GOLIVE_STORE/evil-ran\"\n".utf8).write(to: evil)
        chmod(evil.path, 0o755)
        var text = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        text = text.replacingOccurrences(of: "scripts/set-weight.sh", with: "scripts/evil.sh")
        try Data(text.utf8).write(to: store.rolloutURL)
        try cockpit.perform(.canary(.rollback(reason: "errors rising")), as: Fixtures.actor("alice"))
        #expect(!FileManager.default.fileExists(atPath: store.directory.appendingPathComponent("evil-ran").path))
        #expect(Self.router(store).contains("stage=rolled_back"))
    }

    @Test func aMemberRemovedOnDiskButNotInTheAdoptedTeamStillHolds() throws {
        let (store, _) = try Self.store()
        // Enter shadow first (a captain, then the canary is live).
        let text = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        let carol = try #require(text.range(of: "  - id: carol"))
        let dan = try #require(text.range(of: "  - id: dan"))
        try Data(text.replacingCharacters(in: carol.lowerBound..<dan.lowerBound, with: "").utf8).write(to: store.rolloutURL)
        let config = try store.loadConfigForLevers()
        #expect(config.member("carol") != nil, "the levers' team is the adopted one")
        let why = try Cockpit(store: store, signer: DecisionSigner()).check(.canary(.hold(reason: "x")), as: Fixtures.actor("carol"))
        #expect(why?.reason.contains("not in the team") != true, "\(why?.reason ?? "")")
    }

    @Test func hostileOrBrokenFilesOnDiskDoNotStopTheLevers() throws {
        let broken: [(String, Data)] = [
            ("unknown key", Data("nonsense_key: 1\n".utf8)),
            ("tab", Data("name:\tx\n".utf8)),
            ("role for roles", Data("team:\n  - {id: alice, role: [captain]}\n".utf8)),
            ("Latin-1", Data([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a])),
            ("NUL", Data([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0x0a])),
            ("alias bomb", Data(("a: &a [x,x,x,x,x,x,x,x,x,x]\n" + (1...9).map { "a\($0): &a\($0) [" + Array(repeating: "*a\($0 == 1 ? "" : String($0 - 1))", count: 10).joined(separator: ",") + "]\n" }.joined()).utf8)),
        ]
        for (what, bytes) in broken {
            let (store, cockpit) = try Self.store()
            try bytes.write(to: store.rolloutURL)
            try cockpit.perform(.canary(.rollback(reason: "errors rising")), as: Fixtures.actor("alice"))
            #expect(try store.loadState().state.canary.stage == .rolledBack, "\(what)")
            #expect(Self.router(store).contains("stage=rolled_back"), "\(what)")
        }
    }
}
