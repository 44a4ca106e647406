import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Identity finding: the two-person rule was a name typed on the command line. In a signed
/// rollout a decision counts only with a signature by a key of the acting operator.
@Suite(.serialized) struct SignedIdentityTests {
    struct People {
        let alice: SSHTestKey, bob: SSHTestKey, carol: SSHTestKey
        static func make() throws -> People { People(alice: try .make("alice"), bob: try .make("bob"), carol: try .make("carol")) }
    }

    static let t0 = Date(timeIntervalSince1970: 2_000_000_000)

    /// A READY sim rollout in shadow since an hour, signed: alice passed every item with her key file.
    static func shadowStore(_ p: People, hook: Bool = false) throws -> Store {
        let rollout = CanarySim.rollout.replacingOccurrences(of: "%HOOK%", with: "identity: signed" + (hook ? "\nhooks: {transition: sim-hook}" : ""))
            .replacingOccurrences(of: "  - {id: alice, roles: [captain]}", with: "  - {id: alice, roles: [captain], keys: [\"\(p.alice.publicLine)\"]}")
            .replacingOccurrences(of: "  - {id: bob, roles: [safety]}", with: "  - {id: bob, roles: [safety], keys: [\"\(p.bob.publicLine)\"]}")
            .replacingOccurrences(of: "  - {id: carol, roles: [sre]}", with: "  - {id: carol, roles: [sre], keys: [\"\(p.carol.publicLine)\"]}")
        let source = Fixtures.tempDir("signed-src")
        try Data(rollout.utf8).write(to: source.appendingPathComponent("rollout.yaml"))
        try Data(CanarySim.policy.replacingOccurrences(of: "%AUTOHOLD%", with: "false").utf8).write(to: source.appendingPathComponent("policy.yaml"))
        let store = try StoreSetup.create(at: Fixtures.tempDir("signed").appendingPathComponent("store"), from: source, name: "", actor: Fixtures.actor("alice"))
        let alice = cockpit(store, signer: DecisionSigner(keyFile: p.alice.privatePath), at: t0 - 61 * 60)
        for item in try store.loadConfig().catalog where item.derivedFromCapabilityField == nil {
            try alice.perform(.setItem(id: item.id, status: .passed, note: "ok", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        try alice.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        return store
    }

    static func cockpit(_ store: Store, signer: DecisionSigner, at time: Date = t0) -> Cockpit {
        Cockpit(store: store, clock: .fixed(time), hookRunner: HookRunner { _ in HookResult(outcome: .applied, summary: "router ok", seconds: 0) },
                signer: signer)
    }

    func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch let r as Refusal { return r.reason } catch { return "not a refusal: \(error)" }
        return nil
    }

    @Test func typedNamesWithoutKeysAreRefusedAndKeysInTheirOwnAgentsCount() throws {
        let p = try People.make()
        let store = try Self.shadowStore(p)
        let noKey = Self.cockpit(store, signer: DecisionSigner())
        // The repro: one person, no keys, three names.
        let asBob = refusal { try noKey.perform(.canary(.approve(note: "lgtm")), as: Fixtures.actor("bob")) }
        #expect(asBob?.contains("no key for bob") == true, "\(asBob ?? "approved")")
        let asCarol = refusal { try Self.cockpit(store, signer: DecisionSigner(keyFile: p.bob.privatePath)).perform(.canary(.approve(note: "")), as: Fixtures.actor("carol")) }
        #expect(asCarol?.contains("is not one of carol's keys") == true, "\(asCarol ?? "approved")")
        let advance = refusal { try noKey.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice")) }
        #expect(advance?.contains("own approval needs alice's key at hand") == true, "\(advance ?? "advanced")")
        #expect(try store.loadState().state.canary.exposurePct == 0)
        let refused = try store.recentEvents(limit: 12).filter { $0.kind == .actionRefused }.map(\.actor)
        #expect(refused == ["bob", "carol", "alice"], "each refusal is journaled")

        // Each person's key in their own agent.
        let bobAgent = try SSHTestAgent([p.bob]), carolAgent = try SSHTestAgent([p.carol])
        try Self.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: bobAgent.socket))).perform(.canary(.approve(note: "safety ok")), as: Fixtures.actor("bob"))
        try Self.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: carolAgent.socket))).perform(.canary(.approve(note: "sre ok")), as: Fixtures.actor("carol"))
        let approvals = try store.loadState().state.canary.approvals
        #expect(approvals.map(\.key) == [p.bob.publicKey.fingerprint, p.carol.publicKey.fingerprint])
        let outcome = try Self.cockpit(store, signer: DecisionSigner(keyFile: p.alice.privatePath)).perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
        #expect(outcome.state.canary.exposurePct > 0, "three signed decisions by three keys move the canary")
        #expect(outcome.events.contains { $0.kind == .canaryTransitionStarted && $0.sig != nil })
    }

    @Test func oneAgentHoldingTwoOperatorsKeysNeverMakesTwoApprovers() throws {
        let p = try People.make()
        let store = try Self.shadowStore(p)
        let both = try SSHTestAgent([p.bob, p.carol])
        let shared = Self.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: both.socket)))
        for who in ["bob", "carol"] {
            let why = refusal { try shared.perform(.canary(.approve(note: "")), as: Fixtures.actor(who)) }
            #expect(why?.contains("one person signs as one operator") == true, "\(why ?? "approved as \(who)")")
        }
        #expect(try store.loadState().state.canary.approvals.isEmpty)
    }

    @Test func theSameKeyForTwoOperatorsIsRefusedWhereItIsWritten() throws {
        let p = try People.make()
        let text = """
        name: t
        identity: signed
        team:
          - {id: bob, roles: [safety], keys: ["\(p.bob.publicLine)"]}
          - {id: carol, roles: [sre], keys: ["\(p.bob.publicLine)"]}
        """
        do {
            _ = try RolloutConfigParser.parse(text: text, file: "rollout.yaml") { _ in ("", "") }
            Issue.record("one key was accepted for two operators")
        } catch {
            #expect("\(error)".contains("rollout.yaml:5:") && "\(error)".contains("is also listed for 'bob'"), "\(error)")
        }
    }

    @Test func aForgedSignatureIsNeverFolded() throws {
        let p = try People.make()
        let store = try Self.shadowStore(p)
        let bobAgent = try SSHTestAgent([p.bob])
        try Self.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: bobAgent.socket))).perform(.canary(.approve(note: "safety ok")), as: Fixtures.actor("bob"))
        // Change the approval's note and re-seal every hash after it: the chain is consistent,
        // the signature is not.
        var lines = ChainGuardTests.lines(store.journalURL)
        let i = try #require(lines.lastIndex { $0.contains(#""kind":"canary.approved""#) })
        lines[i] = ChainGuardTests.reseal(lines[i].replacingOccurrences(of: "safety ok", with: "safety OK"))
        for j in (i + 1)..<lines.count {
            lines[j] = ChainGuardTests.reseal(lines[j].replacingOccurrences(of: ChainGuardTests.prev(of: lines[j]), with: ChainGuardTests.hash(of: lines[j - 1])))
        }
        try ChainGuardTests.write(lines, to: store.journalURL)
        try? FileManager.default.removeItem(at: store.snapshotURL)
        // Refused, never folded: the store says so, and the approval does not count.
        let state = try store.loadState().state
        #expect(state.refused.first?.reason.contains("does not verify") == true, "\(state.refused)")
        #expect(state.canary.approvals.isEmpty)
    }

    /// A record claiming bob, signed with carol's key: golive's writer refuses to write it, and
    /// written by hand it is refused by every reader (one judge) and named by the audit.
    /// An approval counts by the key that signed it: once that key is no longer in the approver's
    /// roster (rotated out after a leak), the approval is stale, though the state and policy it
    /// bound to are unchanged.
    @Test func anApprovalSignedByAKeyRotatedOutOfTheRosterNoLongerCounts() throws {
        let p = try People.make()
        let store = try Self.shadowStore(p)
        try Self.cockpit(store, signer: DecisionSigner(keyFile: p.bob.privatePath)).perform(.canary(.approve(note: "lgtm")), as: Fixtures.actor("bob"))
        let r = try Self.cockpit(store, signer: DecisionSigner()).readiness()
        let verdict = Gate.evaluate(r)
        #expect(CanaryEngine.approvals(for: "shadow", to: "1%", verdict: verdict, readiness: r).fresh == ["bob"])
        var rotated = r.config
        let newKey = try SSHPublicKey(line: try SSHTestKey.make("bob-2027").publicLine)
        rotated.team = rotated.team.map { var m = $0; if m.id == "bob" { m.keys = [newKey] }; return m }
        let count = CanaryEngine.approvals(for: "shadow", to: "1%", verdict: verdict, readiness: Readiness(config: rotated, state: r.state, now: r.now))
        #expect(count.fresh.isEmpty && count.stale == ["bob"], "\(count)")
    }

    @Test func aDecisionSignedWithAnotherOperatorsKeyCountsForNobody() throws {
        let p = try People.make()
        let store = try Self.shadowStore(p)
        let config = try store.loadConfig()
        let carolsKey = try SSHPrivateKey(file: p.carol.privatePath)
        let verdict = Gate.evaluate(try Self.cockpit(store, signer: DecisionSigner()).readiness())
        var draft = EventDraft(.canaryApproved, EventData(note: "forged", role: "safety", from: "shadow", to: "1%",
                                                          stateSha256: verdict.stateSha256, policySha256: verdict.policySha256))
        draft.data.rollout = config.name
        draft.sign = { prefix in try carolsKey.sign(Journal.signedPayload(recordPrefix: prefix), namespace: Journal.signatureNamespace).base64 }
        do {
            try store.append(actor: Actor(operatorID: "bob", osUser: "mallory", session: "s-forged"), now: Self.t0) { _ in [draft] }
            Issue.record("golive's own writer wrote a record signed by another operator's key")
        } catch {
            #expect("\(error)".contains("claims bob but is signed by \(p.carol.publicKey.fingerprint)"), "\(error)")
        }
        try Forger.append(store, kind: "canary.approved", actor: "bob",
                          data: #""from":"shadow","note":"forged","policy_sha256":"\#(verdict.policySha256)","role":"safety","rollout":"\#(config.name)","state_sha256":"\#(verdict.stateSha256)","to":"1%""#,
                          signedBy: p.carol)
        let r = try Self.cockpit(store, signer: DecisionSigner()).readiness()
        #expect(r.state.canary.approvals.isEmpty, "the forged approval was folded")
        #expect(r.state.refused.first?.reason.contains("claims bob but is signed by \(p.carol.publicKey.fingerprint)") == true, "\(r.state.refused)")
        let audit = try DecisionAudit.check(journal: store.journalURL)
        #expect(audit.problem?.message.contains("claims bob but is signed by \(p.carol.publicKey.fingerprint)") == true, "\(String(describing: audit.problem))")
    }
}
