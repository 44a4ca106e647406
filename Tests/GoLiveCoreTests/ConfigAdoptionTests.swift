import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Integrity finding 5: configuration changes left no trace. Deleting requirements from
/// policy.yaml opened the gate, an operator added to rollout.yaml could approve, a replaced hook
/// script ran, and the old policy text was kept nowhere.
@Suite(.serialized) struct ConfigAdoptionTests {
    func cockpit(_ store: Store, hookRuns: Locked<Int>? = nil) -> Cockpit {
        Cockpit(store: store, clock: .fixed(CanaryPropertyTests.t0), hookRunner: HookRunner { _ in
            hookRuns?.withLock { $0 += 1 }
            return HookResult(outcome: .applied, summary: "router: ok", seconds: 0)
        })
    }

    func edit(_ url: URL, _ old: String, _ new: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old), "the fixture no longer holds \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch let r as Refusal { return r.reason } catch { return "not a refusal: \(error)" }
        return nil
    }

    @Test func deletingARequirementOnDiskDoesNotOpenTheGate() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(0)
        let c = cockpit(store)
        try c.perform(.setItem(id: "eval_slo.offline_evals", status: .failed, note: "2 of 7 fail", evidenceURL: nil), as: Fixtures.actor("dan"))
        let policyURL = store.directory.appendingPathComponent("policy.yaml")
        let original = try String(contentsOf: policyURL, encoding: .utf8)
        try edit(policyURL, "    - offline_eval_pass\n", "")

        let (verdict, _) = try c.gate()
        #expect(!verdict.ready)
        let change = verdict.unmet.first { $0.name == Gate.configurationAdopted }
        #expect(change?.findings.first?.detail.contains("configuration changed outside the journal (policy.yaml edited)") == true, "\(verdict.unmet)")
        let why = refusal { try c.perform(.canary(.enterShadow), as: Fixtures.actor("alice")) }
        #expect(why?.contains("configuration changed outside the journal") == true, "\(why ?? "accepted")")
        #expect(try store.loadState().state.canary.stage == .planned)

        // The diff names the line; only a captain of the configuration in force may adopt it.
        let (diff, adopted, _) = try c.configurationDiff()
        #expect(adopted?.by == "alice")
        #expect(diff.entries.first { $0.path == "policy.yaml" }?.lines.contains("-    - offline_eval_pass") == true, "\(diff)")
        #expect(refusal { try c.adoptConfiguration(reason: "drop evals", as: Fixtures.actor("bob")) }?.contains("needs the captain role") == true)
        // Dropping a requirement loosens: alice alone is refused, and with bob's consent it is in force.
        #expect(refusal { try c.adoptConfiguration(reason: "offline evals move to the next release", as: Fixtures.actor("alice")) }?.contains("require removed: offline_eval_pass") == true)
        try Fixtures.adoptWithConsent("offline evals move to the next release") { _ in c }
        let adoptedVerdict = try c.gate().0
        #expect(!adoptedVerdict.unmet.map(\.name).contains("offline_eval_pass"), "the adopted policy no longer requires offline_eval_pass")
        // The item is a blocker, though, and no policy removes that.
        #expect(adoptedVerdict.unmet.map(\.name) == [Gate.blockersSatisfied], "\(adoptedVerdict.reasons)")
        #expect(adoptedVerdict.unmet.first?.findings.map(\.item) == ["eval_slo.offline_evals"])
        #expect(try c.configurationDiff().diff.isEmpty)

        // Both texts are in the journal: the one adopted at init and the one adopted now.
        var texts: [String] = []
        try store.forEachEvent { e in
            if e.kind == .configAdopted, let policy = e.data.files?.first(where: { $0.path == "policy.yaml" })?.text { texts.append(policy) }
            return true
        }
        #expect(texts == [original, try String(contentsOf: policyURL, encoding: .utf8)])
    }

    @Test func anOperatorAddedOnDiskCannotApproveNorAdoptThemself() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(1)
        let c = cockpit(store)
        try edit(store.rolloutURL, "  - {id: dan, roles: [eval]}\n", "  - {id: dan, roles: [eval]}\n  - {id: mallory, roles: [captain, safety]}\n")
        let approve = refusal { try c.perform(.canary(.approve(note: "lgtm")), as: Fixtures.actor("mallory")) }
        #expect(approve?.contains("configuration changed outside the journal (rollout.yaml edited)") == true, "\(approve ?? "accepted")")
        let adopt = refusal { try c.adoptConfiguration(reason: "me", as: Fixtures.actor("mallory")) }
        #expect(adopt?.contains("mallory may not adopt") == true && adopt?.contains("captains: alice") == true, "\(adopt ?? "adopted")")
        #expect(try store.loadState().state.canary.approvals.isEmpty)
        #expect(try store.loadState().state.adoptedConfig?.files["rollout.yaml"] != Digest.sha256Hex(Fixtures.bytes(store.rolloutURL)))
        // Refusals are journaled with who asked.
        let refused = try store.recentEvents(limit: 20).filter { $0.kind == .actionRefused && $0.actor == "mallory" }
        #expect(refused.count == 2)
    }

    @Test func aReplacedHookScriptNeverRunsAndApprovalsLapseWhenItIsAdopted() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(1)
        let hook = store.directory.appendingPathComponent("hook.sh")
        try Data("#!/bin/sh\necho \"router: $GOLIVE_EXPOSURE_PCT%\"\n".utf8).write(to: hook)
        chmod(hook.path, 0o755)
        try edit(store.rolloutURL, "transition: sim-hook", "transition: ./hook.sh")
        let runs = Locked(0)
        let c = cockpit(store, hookRuns: runs)
        try Fixtures.adoptWithConsent("the router hook") { _ in c }
        try c.perform(.canary(.approve(note: "looks good")), as: Fixtures.actor("bob"))
        try Data("#!/bin/sh\necho \"router: 100%\"\n".utf8).write(to: hook)
        let before = refusal { try c.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice")) }
        #expect(before?.contains("./hook.sh edited") == true, "\(before ?? "advanced")")
        #expect(runs.withLock { $0 } == 0, "a hook nobody adopted ran")
        try Fixtures.adoptWithConsent("router v2") { _ in c }
        let after = refusal { try c.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice")) }
        #expect(after?.contains("stale") == true, "bob approved under the old hook: \(after ?? "advanced")")
        #expect(runs.withLock { $0 } == 0)
        #expect(try store.loadState().state.canary.exposurePct == 0)
    }

    @Test func aReplacedProbeScriptIsNotRun() throws {
        let store = try Fixtures.sampleStore()
        let marker = store.directory.appendingPathComponent("ran")
        let script = store.directory.appendingPathComponent("probe.sh")
        try Data("#!/bin/sh\necho ok\n".utf8).write(to: script)
        chmod(script.path, 0o755)
        try edit(store.rolloutURL, "items:\n", "items:\n  observability.trace_id:\n    probe: {command: ./probe.sh}\n")
        let c = cockpit(store)
        try c.adoptConfiguration(reason: "probe for key spans", as: Fixtures.actor("alice"))
        try Data("#!/bin/sh\ntouch '\(marker.path)'\necho ok\n".utf8).write(to: script)
        let why = refusal { try c.runProbe(id: "observability.trace_id", as: Fixtures.actor("carol")) }
        #expect(why?.contains("./probe.sh edited") == true, "\(why ?? "ran")")
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the replaced script ran")
    }

    @Test func aSignOffGoesStaleWhenItsItemsAreRedefined() throws {
        let store = try Fixtures.sampleStore()
        let c = cockpit(store)
        #expect(try c.readiness().signoffStanding(.runtime) == .fresh)
        try edit(store.rolloutURL, "items:\n", "items:\n  runtime.happy_path:\n    severity: advisory\n")
        try Fixtures.adoptWithConsent("happy path is advisory now") { _ in c }
        #expect(try c.readiness().signoffStanding(.runtime) == .stale, "the runtime sign-off covered the questions as they were")
        #expect(try c.readiness().signoffStanding(.safety) == .fresh, "other contours did not change")
    }

    @Test func initRecordsTheInitialConfiguration() throws {
        let store = try StoreSetup.create(at: TestFolder.make("init").appendingPathComponent("store"), from: nil, name: "fresh",
                                          actor: Fixtures.actor("alice"))
        var record: Event?
        try store.forEachEvent { e in
            if e.kind == .configAdopted { record = e }
            return true
        }
        let files = record?.data.files ?? []
        #expect(files.map(\.path) == ["rollout.yaml", "policy.yaml"])
        #expect(files.first?.text == String(decoding: Fixtures.bytes(store.rolloutURL), as: UTF8.self))
        #expect(record?.actor == "alice")
        let (verdict, _) = try Cockpit(store: store).gate()
        #expect(!verdict.unmet.contains { $0.name == Gate.configurationAdopted })
    }

    @Test func aStoreWithNoAdoptedConfigurationSaysSo() throws {
        let dir = TestFolder.make("legacy")
        try Data(Fixtures.smallTeam.utf8).write(to: dir.appendingPathComponent("rollout.yaml"))
        try Data(Policy.sectionNineYAML.utf8).write(to: dir.appendingPathComponent("policy.yaml"))
        let store = Store(directory: dir)
        try store.append(actor: Fixtures.actor("alice"), now: Date()) { _ in [EventDraft(.rolloutInitialized, EventData(name: "t"))] }
        let c = cockpit(store)
        let finding = try c.gate().0.unmet.first { $0.name == Gate.configurationAdopted }?.findings.first?.detail
        #expect(finding?.contains("no configuration has been adopted") == true, "\(finding ?? "none")")
        #expect(refusal { try c.perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("alice")) } != nil)
        // Its first adoption is judged by the files themselves, and says so.
        let outcome = try c.adoptConfiguration(reason: "adopting the configuration in use", as: Fixtures.actor("alice"))
        #expect(outcome?.events.first { $0.kind == .configAdopted }?.data.note?.contains("first adoption") == true)
        try c.perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("alice"))
        #expect(try c.adoptConfiguration(reason: "again", as: Fixtures.actor("alice")) == nil, "nothing changed: nothing is written")
    }

    @Test func theLeversWorkWhileTheConfigurationIsUnadopted() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(1)
        try edit(store.directory.appendingPathComponent("policy.yaml"), "exposure_increase: 2", "exposure_increase: 3")
        let c = cockpit(store)
        try c.perform(.canary(.hold(reason: "config under review")), as: Fixtures.actor("carol"))
        try c.perform(.canary(.rollback(reason: "errors")), as: Fixtures.actor("bob"))
        #expect(try store.loadState().state.canary.stage == .rolledBack)
    }

    /// The adopted texts decide who may adopt next: a record whose text was edited in place (past
    /// the snapshot, which does not refold old records) is refused, not believed.
    @Test func anAdoptedTextEditedInPlaceIsRefused() throws {
        let store = try Fixtures.sampleStore()
        // Writes until state.json is refreshed past the adoption record (every 64 records), so
        // that its proof and the fold never read that record again.
        for _ in 0...Store.snapshotEveryRecords where store.snapshotSeq() != (try Store(directory: store.directory).loadState().state.seq) {
            // Sealed with alice's (demo) key: in a signed rollout only a signed commitment is believed.
            try Cockpit(store: store, signer: DecisionSigner()).closeSession(reason: "snapshot", as: Fixtures.actor("alice"))
        }
        #expect(try Store(directory: store.directory).loadState().source == "snapshot", "the test needs a proven snapshot at the head")
        var journal = ChainGuardTests.lines(store.journalURL)
        let index = try #require(journal.firstIndex { $0.contains(#""kind":"config.adopted""#) })
        // Resealed: the record's own hash matches its new bytes (only the chain after it and the
        // configuration digest the proven state holds can tell).
        journal[index] = ChainGuardTests.reseal(journal[index].replacingOccurrences(of: "- id: bob", with: "- id: bOb"))
        try ChainGuardTests.write(journal, to: store.journalURL)
        try edit(store.rolloutURL, "roles: [safety]", "roles: [safety, captain]")
        // The edited record is refused (its signature no longer covers it, and the chain breaks
        // after it): the store is UNTRUSTED from there, and no adoption is believed or made.
        let before = try Store(directory: store.directory).loadState().state
        #expect(before.refused.first?.seq == Int(journal[index].components(separatedBy: #""seq":"#)[1].prefix { $0.isNumber }))
        #expect(throws: (any Error).self) { try Fixtures.adopt(store) }
        let after = try Store(directory: store.directory).loadState().state
        #expect(after.adoptedConfig == before.adoptedConfig)
        #expect(!(try String(contentsOf: store.journalURL, encoding: .utf8)).split(separator: "\n").suffix(3).contains { $0.contains(#""kind":"config.adopted""#) })
    }
}
