import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 26, finding 2: during a live canary the captain raised the cap from 5% to 60%, the steps
/// to [1, 50] and cut the shadow to 0.2 minutes with `config adopt --reason "go faster"` and
/// nobody else. Loosening now takes as many distinct people as an exposure increase.
@Suite struct LooseningTests {
    typealias People = SignedIdentityTests.People
    static func cockpit(_ store: Store, _ key: SSHTestKey) -> Cockpit { OneJudgeTests.cockpit(store, key) }

    static func edit(_ store: Store, _ pairs: [(String, String)]) throws {
        let url = store.directory.appendingPathComponent("policy.yaml")
        var text = try String(contentsOf: url, encoding: .utf8)
        for (old, new) in pairs {
            #expect(text.contains(old), "policy.yaml has no '\(old)'")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Writes until a state.json is saved after `seq`, then expects a fresh reader to believe it.
    static func expectStateJsonBelieved(after seq: Int, in store: Store, write: (Int) throws -> Void) throws {
        for k in 0..<80 where (try Store(directory: store.directory).snapshotSeq() ?? 0) <= seq { try write(k) }
        #expect(try Store(directory: store.directory).snapshotSeq() ?? 0 > seq, "no state.json saved after seq \(seq)")
        let read = try Store(directory: store.directory).loadState()
        #expect(read.source.hasPrefix("snapshot") && read.snapshotProblem == nil, "\(read.source): \(read.snapshotProblem ?? "")")
    }

    static let goFaster = [("max_tenant_exposure_pct: 5", "max_tenant_exposure_pct: 60"), ("steps: [1, 5]", "steps: [1, 50]"),
                           ("min_shadow_minutes: 60", "min_shadow_minutes: 0.2")]

    @Test func oneCaptainCannotLoosenALiveCanaryAndASecondPersonMakesItSo() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        #expect(try store.loadState().state.canary.stage.isLive)
        let before = try store.loadState().state.adoptedConfig
        try Self.edit(store, Self.goFaster)
        do {
            try Self.cockpit(store, p.alice).adoptConfiguration(reason: "go faster", as: Fixtures.actor("alice"))
            Issue.record("one captain loosened a live canary alone")
        } catch let r as Refusal {
            #expect(r.reason.contains("it loosens what the canary rests on") && r.reason.contains("max_tenant_exposure_pct 5% → 60%")
                    && r.reason.contains("min_shadow_minutes 60 → 0.2") && r.reason.contains("consent of alice only"), "\(r.reason)")
        }
        #expect(try store.loadState().state.adoptedConfig == before)
        #expect(try store.loadConfigForLevers().policy.maxTenantExposurePct == 5)
        // Proposed by alice, it is still not in force: the cap stays 5%.
        try Self.cockpit(store, p.alice).proposeConfiguration(reason: "go faster", as: Fixtures.actor("alice"))
        #expect(try store.loadState().state.adoptedConfig == before)
        // Every surface says a proposal waits and is not in force (status, the cockpit's gate view).
        let waiting = try Readiness(config: store.loadConfigForLevers(), state: store.loadState().state, now: OneJudgeTests.t0).pendingProposal
        #expect(waiting?.contains("NOT in force: 1 of 2 consents (alice)") == true, "\(waiting ?? "none")")
        #expect(try Self.refusal { try Self.cockpit(store, p.alice).adoptConfiguration(reason: "go faster", as: Fixtures.actor("alice")) }?.contains("consent of alice only") == true)
        // bob is shown what he approves, then approves it.
        let pending = try #require(try Self.cockpit(store, p.bob).pendingProposal())
        #expect(pending.approval.by == "alice" && pending.changes.contains { $0.contains("canary steps") })
        #expect(pending.diff.entries.first { $0.path == "policy.yaml" }?.lines.contains { $0.contains("+    max_tenant_exposure_pct: 60") } == true, "\(pending.diff)")
        try Self.cockpit(store, p.bob).approveConfiguration(digest: String(pending.approval.digest.prefix(12)), reason: "agreed on the call", as: Fixtures.actor("bob"))
        let agreed = try Readiness(config: store.loadConfigForLevers(), state: store.loadState().state, now: OneJudgeTests.t0).pendingProposal
        #expect(agreed?.contains("2 of 2 consents (alice, bob)") == true, "\(agreed ?? "none")")
        let adopted = try Self.cockpit(store, p.alice).adoptConfiguration(reason: "go faster, as agreed", as: Fixtures.actor("alice"))
        #expect(adopted != nil)
        #expect(try Readiness(config: store.loadConfigForLevers(), state: store.loadState().state, now: OneJudgeTests.t0).pendingProposal == nil)
        let config = try store.loadConfigForLevers()
        #expect(config.policy.maxTenantExposurePct == 60 && config.policy.canary.steps == [1, 50])
        // Every reader believes it: the judge counts the same consents.
        let rebuilt = try Store.judgedRebuild(of: store.journalURL)
        #expect(rebuilt.refused.isEmpty && rebuilt.adoptedConfig?.sha256 == config.sha256)
        // And a state.json saved after it is believed: the adoption behind it, walked back, counts
        // the consents it names. (It was judged without them: every command after a loosening
        // adoption rebuilt the journal, saying the adoption "has the consent of alice only".)
        try Self.expectStateJsonBelieved(after: try #require(store.loadState().state.adoptedConfig?.seq), in: store) { k in
            try Self.cockpit(store, p.alice).perform(.addEvidence(id: "runtime.happy_path", text: "after the adoption \(k)", url: nil), as: Fixtures.actor("alice"))
        }
    }

    /// With typed names (no keys to tell people apart), one name still counts once: proposing and
    /// adopting are the same person.
    @Test func aProposerWhoAdoptsCountsOnceWithTypedNames() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: CanarySim.policy.replacingOccurrences(of: "%AUTOHOLD%", with: "false"))
        let c = Cockpit(store: store)
        try Self.edit(store, [("min_shadow_minutes: 60", "min_shadow_minutes: 5")])
        try c.proposeConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice"))
        #expect(try Self.refusal { try c.adoptConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice")) }?.contains("consent of alice only") == true)
        let digest = try #require(try c.pendingProposal()).approval.digest
        try c.approveConfiguration(digest: digest, reason: "ok", as: Fixtures.actor("bob"))
        #expect(try c.adoptConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice")) != nil)
    }

    /// A typed-names store where alice proposed a shorter shadow (a loosening) and bob approved it.
    static func shorterShadowAgreed() throws -> (Store, Cockpit) {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: CanarySim.policy.replacingOccurrences(of: "%AUTOHOLD%", with: "false"))
        let c = Cockpit(store: store)
        try Self.edit(store, [("min_shadow_minutes: 60", "min_shadow_minutes: 5")])
        try c.proposeConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice"))
        try c.approveConfiguration(digest: try #require(try c.pendingProposal()).approval.digest, reason: "ok", as: Fixtures.actor("bob"))
        return (store, c)
    }

    /// An adoption names the consents it counts (for the walk back behind a snapshot); the judge
    /// holds it to them: a seq that is no consent to it is refused.
    @Test func anAdoptionNamesItsConsentsAndTheJudgeHoldsItToThem() throws {
        let (store, c) = try Self.shorterShadowAgreed()
        let before = try store.loadState().state
        let inForce = try store.loadConfigForLevers()
        #expect(try c.adoptConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice")) != nil)
        let adoption = try #require(try store.recentEvents(limit: 5).last { $0.kind == .configAdopted })
        #expect(adoption.data.approvals == before.configApprovals.map(\.seq) && adoption.data.approvals?.count == 2)
        #expect(RecordJudge.refusal(adoption, signer: nil, state: before, config: inForce) == nil)
        var forged = adoption
        forged.data.approvals = [1]
        let why = RecordJudge.refusal(forged, signer: nil, state: before, config: inForce)
        #expect(why?.contains("names seq 1 as a consent to it, which is no proposal or approval of it") == true, "\(why ?? "not refused")")
        // Unsigned, as this rollout is: a state.json saved after it is believed too.
        try Self.expectStateJsonBelieved(after: adoption.seq, in: store) { k in
            try c.perform(.addEvidence(id: "runtime.happy_path", text: "after the adoption \(k)", url: nil), as: Fixtures.actor("alice"))
        }
    }

    /// The walk back behind a snapshot judges each consent an adoption names as the fold does: an
    /// approval the judge refuses is no consent. In a signed rollout alice writes by hand an
    /// approval claiming bob but signed with her own key, and an adoption naming it beside her
    /// proposal, signed by her: walked back, that approval is not counted and the adoption does not stand.
    @Test func aConsentTheJudgeRefusesIsNoConsentInTheWalkBack() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let previous = try #require(try store.loadState().state.adoptedConfig)
        try Self.edit(store, Self.goFaster)
        try Self.cockpit(store, p.alice).proposeConfiguration(reason: "go faster", as: Fixtures.actor("alice"))
        let proposal = try #require(try store.recentEvents(limit: 3).last { $0.kind == .configProposed })
        let loose = try store.loadConfig()
        let approval = try Forger.append(store, kind: "config.approved", actor: "bob",
                                         data: #""config_sha256":"\#(loose.sha256)","from":"\#(previous.sha256)","reason":"agreed","rollout":"sim""#, signedBy: p.alice)
        try Forger.append(store, kind: "config.adopted", actor: "alice",
                          data: #""approvals":[\#(proposal.seq),\#(Forger.seq(of: approval))],"config_sha256":"\#(loose.sha256)","files":\#(try Forger.json(loose.files)),"from":"\#(previous.sha256)","previous":{"seq":\#(previous.seq),"sha256":"\#(previous.sha256)"},"reason":"go faster","rollout":"sim""#,
                          signedBy: p.alice)
        let adopted = Forger.seq(of: Forger.lastLine(store))
        var inForce: (files: [ConfigFile], parsed: String?)?
        let why = store.adoptionChainProblem(AdoptionRef(seq: adopted, sha256: loose.sha256), inForce: &inForce)
        #expect(why?.contains("the adoption at seq \(adopted) behind it does not stand: it names seq \(Forger.seq(of: approval)) as a consent to it, which is no proposal or approval of it") == true,
                "\(why ?? "it stands")")
        // The fold refuses both, as the walk does.
        let rebuilt = try Store.judgedRebuild(of: store.journalURL)
        #expect(rebuilt.refused.map(\.seq) == [Forger.seq(of: approval), adopted])
    }

    /// An adoption written before adoptions named their consents: the walk back behind a snapshot
    /// finds them among the records just before it, so its state.json is believed too (every
    /// command rebuilt such a store's journal).
    @Test func anAdoptionThatNamesNoConsentsIsJudgedWithThoseJustBeforeIt() throws {
        let (store, c) = try Self.shorterShadowAgreed()
        let older = Store(directory: store.directory.deletingLastPathComponent().appendingPathComponent("older-\(UUID().uuidString)"))
        try FileManager.default.copyItem(at: store.directory, to: older.directory)
        // Adopted here by this golive; there, the same record as an older golive wrote it.
        #expect(try c.adoptConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice")) != nil)
        let line = try #require(ChainGuardTests.lines(store.journalURL).last { $0.contains(#""kind":"config.adopted""#) })
        let start = try #require(line.range(of: #""data":{"#)).upperBound
        let end = try #require(line.range(of: #","state_digest":""#, range: start..<line.endIndex)).lowerBound
        let data = String(line[start..<end]).replacing(/"approvals":\[[0-9,]*\],?/, with: "")
        #expect(!data.contains(#""approvals":["#) && data.contains(#""previous":"#))
        try Forger.append(older, kind: "config.adopted", actor: "alice", data: data)
        #expect(try Store.judgedRebuild(of: older.journalURL).refused.isEmpty, "the fold takes it")
        try Self.expectStateJsonBelieved(after: try #require(older.loadState().state.adoptedConfig?.seq), in: older) { k in
            try Cockpit(store: older).perform(.addEvidence(id: "runtime.happy_path", text: "after the adoption \(k)", url: nil), as: Fixtures.actor("alice"))
        }
    }

    /// On an UNTRUSTED store (a refused record in its journal) only the levers act: proposing,
    /// approving and adopting a configuration are refused like any other write, until a captain
    /// sets the refused records aside.
    @Test func noConfigurationIsProposedApprovedOrAdoptedOnAnUntrustedStore() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: CanarySim.policy.replacingOccurrences(of: "%AUTOHOLD%", with: "false"))
        let c = Cockpit(store: store)
        try Self.edit(store, [("min_shadow_minutes: 60", "min_shadow_minutes: 5")])
        try c.proposeConfiguration(reason: "shorter shadow", as: Fixtures.actor("alice"))
        let digest = try #require(try c.pendingProposal()).approval.digest
        var lines = ChainGuardTests.lines(store.journalURL)
        lines.insert("this is not a record", at: lines.count - 1)
        try ChainGuardTests.write(lines, to: store.journalURL)
        try? FileManager.default.removeItem(at: store.snapshotURL)
        #expect(!(try store.loadState().state.refused.isEmpty))
        let records = ChainGuardTests.lines(store.journalURL).count
        let approval = try Self.refusal { try c.approveConfiguration(digest: digest, reason: "ok", as: Fixtures.actor("bob")) }
        #expect(approval != nil, "approved on an untrusted store")
        #expect(try Self.refusal { try c.proposeConfiguration(reason: "shorter shadow again", as: Fixtures.actor("alice")) }?.contains("UNTRUSTED") == true)
        try Self.edit(store, [("min_shadow_minutes: 5", "min_shadow_minutes: 90")])
        #expect(try Self.refusal { try c.adoptConfiguration(reason: "stricter", as: Fixtures.actor("alice")) }?.contains("UNTRUSTED") == true)
        // Each refusal is recorded, and nothing else.
        let written = ChainGuardTests.lines(store.journalURL).dropFirst(records)
        #expect(!written.contains { $0.contains(#""kind":"config."#) }, "\(written)")
    }

    @Test func tighteningNeedsNobodyElse() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        try Self.edit(store, [("max_tenant_exposure_pct: 5", "max_tenant_exposure_pct: 3"), ("steps: [1, 5]", "steps: [1, 3]"), ("min_shadow_minutes: 60", "min_shadow_minutes: 90")])
        #expect(try Self.cockpit(store, p.alice).adoptConfiguration(reason: "be careful", as: Fixtures.actor("alice")) != nil)
        #expect(try store.loadConfigForLevers().policy.maxTenantExposurePct == 3)
        #expect(throws: InputError.self) { try Self.cockpit(store, p.alice).proposeConfiguration(reason: "x", as: Fixtures.actor("alice")) }
    }

    /// Written by hand and signed by the captain herself, a loosening adoption with no second
    /// consent is refused by every reader.
    @Test func aHandWrittenLooseningAdoptionIsNotBelieved() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let state = try store.loadState().state
        let before = state.adoptedConfig
        let original = try store.loadConfig()
        try Self.edit(store, Self.goFaster)
        let loose = try store.loadConfig()
        let previous = try #require(before)
        try Forger.append(store, kind: "config.adopted", actor: "alice",
                          data: #""config_sha256":"\#(loose.sha256)","files":\#(try Forger.json(loose.files)),"from":"\#(previous.sha256)","previous":{"seq":\#(previous.seq),"sha256":"\#(previous.sha256)"},"reason":"go faster","rollout":"sim""#,
                          signedBy: p.alice)
        for file in original.files where file.path == "policy.yaml" { try Data(file.text!.utf8).write(to: store.directory.appendingPathComponent("policy.yaml")) }
        #expect(try store.loadState().state.adoptedConfig == before, "the loosening adoption is not in force")
        try OneJudgeTests.expectUntrusted(store, p, reason: "it loosens what the canary rests on")
    }

    @Test func whatLoosens() throws {
        let base = try CanarySim.config()
        var next = base
        #expect(Loosening.changes(from: base, to: next).isEmpty)
        next.policy.require.removeAll { $0 == "trace_coverage" }
        next.team.append(Operator(id: "eve", name: "eve", roles: ["captain"]))
        next.identity = base.identity == .signed ? .names : base.identity
        let said = Loosening.changes(from: base, to: next)
        #expect(said.contains("require removed: trace_coverage") && said.contains { $0.hasPrefix("member added: eve") }, "\(said)")
        var lighter = base
        let blocker = try #require(base.catalog.first { $0.severity == .blocker })
        lighter.catalog = base.catalog.map { var i = $0; if i.id == blocker.id { i.severity = .advisory }; return i }
        #expect(Loosening.changes(from: base, to: lighter) == ["\(blocker.id): blocker → advisory"])
        var fewer = base
        fewer.team.removeAll { $0.id == "bob" }
        #expect(Loosening.changes(from: base, to: fewer) == ["approving member removed: bob (safety)"])
    }

    static func refusal(_ body: () throws -> Void) rethrows -> String? {
        do { try body() } catch let r as Refusal { return r.reason }
        return nil
    }
}
