import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 29: a roster entry or the policy may require that an approver touched their hardware
/// key (and that the key verified them). The writer and every reader judge it alike, from the
/// flags inside the signature.
@Suite(.serialized) struct TouchTests {
    static let t0 = SignedIdentityTests.t0

    /// The sim rollout in shadow since an hour, signed: alice with a key file, bob with a software
    /// FIDO2 key (`touch` on his entry), carol with a key file.
    /// bob's token behind a software agent, on a store of its own: the store, its people, the
    /// agent, and the cockpits of bob (signing through the agent) and alice (her key file).
    static func bobWithAToken(hook: Bool = false) throws -> (store: Store, people: People, agent: SoftwareAgent, bob: Cockpit, alice: Cockpit) {
        let token = SoftwareSKKey(comment: "bob@token")
        let (store, people) = try Self.store(token: token, hook: hook)
        let agent = try SoftwareAgent([token])
        return (store, people, agent, SignedIdentityTests.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: agent.socket))),
                SignedIdentityTests.cockpit(store, signer: DecisionSigner(keyFile: people.alice.privatePath)))
    }

    static func store(token: SoftwareSKKey, bobTouch: String? = "present", policyTouch: String? = nil, hook: Bool = false) throws -> (Store, People) {
        let p = People(alice: try .make("alice"), carol: try .make("carol"))
        let rollout = CanarySim.rollout.replacingOccurrences(of: "%HOOK%", with: "identity: signed" + (hook ? "\nhooks: {transition: sim-hook}" : ""))
            .replacingOccurrences(of: "  - {id: alice, roles: [captain]}", with: "  - {id: alice, roles: [captain], keys: [\"\(p.alice.publicLine)\"]}")
            .replacingOccurrences(of: "  - {id: bob, roles: [safety]}", with: "  - {id: bob, roles: [safety], keys: [\"\(token.publicLine)\"]\(bobTouch.map { ", touch: \($0)" } ?? "")}")
            .replacingOccurrences(of: "  - {id: carol, roles: [sre]}", with: "  - {id: carol, roles: [sre], keys: [\"\(p.carol.publicLine)\"]}")
        var policy = CanarySim.policy.replacingOccurrences(of: "%AUTOHOLD%", with: "false")
        if let policyTouch { policy = policy.replacingOccurrences(of: "  approvals:\n", with: "  approvals:\n    touch: \(policyTouch)\n") }
        let source = Fixtures.tempDir("touch-src")
        try Data(rollout.utf8).write(to: source.appendingPathComponent("rollout.yaml"))
        try Data(policy.utf8).write(to: source.appendingPathComponent("policy.yaml"))
        let store = try StoreSetup.create(at: Fixtures.tempDir("touch").appendingPathComponent("store"), from: source, name: "", actor: Fixtures.actor("alice"))
        let alice = SignedIdentityTests.cockpit(store, signer: DecisionSigner(keyFile: p.alice.privatePath), at: t0 - 61 * 60)
        for item in try store.loadConfig().catalog where item.derivedFromCapabilityField == nil {
            try alice.perform(.setItem(id: item.id, status: .passed, note: "ok", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        try alice.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        return (store, p)
    }

    struct People { let alice: SSHTestKey, carol: SSHTestKey }

    func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch let r as Refusal { return r.reason } catch { return "not a refusal: \(error)" }
        return nil
    }

    func approvers(_ store: Store) throws -> [String] {
        try store.loadState().state.canary.approvals.map(\.by)
    }

    @Test func anUntouchedApprovalIsNotWrittenAndATouchedOneCounts() throws {
        let token = SoftwareSKKey(comment: "bob@token")
        let (store, _) = try Self.store(token: token)
        let agent = try SoftwareAgent([token])
        let bob = SignedIdentityTests.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: agent.socket)))
        token.flags = 0x00
        let why = refusal { try bob.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob")) }
        #expect(why?.contains("the key was not touched") == true, "\(why ?? "approved")")
        #expect(try approvers(store).isEmpty)
        token.flags = 0x01
        try bob.perform(.canary(.approve(note: "touched")), as: Fixtures.actor("bob"))
        #expect(try approvers(store) == ["bob"])
        #expect(try DecisionAudit.check(journal: store.journalURL).touched == 1)
    }

    @Test func aHandWrittenUntouchedApprovalIsRefusedByEveryReader() throws {
        let token = SoftwareSKKey(comment: "bob@token")
        let (store, _) = try Self.store(token: token)
        token.flags = 0x00  // a valid signature by bob's key, without the touch
        let sign: ([UInt8]) -> String = { payload in
            SSHSignature(publicKey: token.publicKey, namespace: Journal.signatureNamespace,
                         encoded: token.encodedSignature(over: SSHSignature.signedData(message: payload, namespace: Journal.signatureNamespace))).base64
        }
        let data = #""from":"shadow","to":"1%","role":"safety","rollout":"sim","state_sha256":"0""#
        let line = try Forger.append(store, kind: "canary.approved", actor: "bob", data: data, signer: sign)
        #expect(try Journal.signingKey(of: Array(line.utf8)) == token.publicKey, "the signature itself verifies")
        let read = try Store(directory: store.directory).loadState().state
        #expect(read.refused.count == 1 && read.refused.first?.reason.contains("the key was not touched") == true, "\(read.refused.map(\.summary))")
        #expect(read.canary.approvals.isEmpty)
        // audit verify's judge (a rebuild from the journal alone) refuses it at its seq.
        let rebuilt = try Store.judgedRebuild(of: store.journalURL)
        #expect(rebuilt.refused.map(\.seq) == [Forger.seq(of: line)])
        #expect(try DecisionAudit.check(journal: store.journalURL).problem?.message.contains("the key was not touched") == true)
    }

    @Test func aPolicyThatRequiresVerificationRefusesATouchAlone() throws {
        let token = SoftwareSKKey(comment: "bob@token")
        let (store, people) = try Self.store(token: token, bobTouch: nil, policyTouch: "verified")
        let agent = try SoftwareAgent([token])
        let bob = SignedIdentityTests.cockpit(store, signer: DecisionSigner(agent: SSHAgent(socket: agent.socket)))
        token.flags = 0x01
        let why = refusal { try bob.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob")) }
        #expect(why?.contains("the person was not verified") == true, "\(why ?? "approved")")
        token.flags = 0x05
        try bob.perform(.canary(.approve(note: "pin and touch")), as: Fixtures.actor("bob"))
        #expect(try approvers(store) == ["bob"])
        // carol's key file cannot show a touch at all.
        let carol = refusal { try SignedIdentityTests.cockpit(store, signer: DecisionSigner(keyFile: people.carol.privatePath)).perform(.canary(.approve(note: "")), as: Fixtures.actor("carol")) }
        #expect(carol?.contains("is signed with a ssh-ed25519 key, which cannot show a touch") == true, "\(carol ?? "approved")")
    }

    /// A write signs outside the store's lock: while bob's key waits for his touch, alice's
    /// hold is written at once (it waited for the touch before).
    /// The token's next signature waits for `touched` (at most 60 s); `asked` says it is waiting.
    static func waitForTouch(_ agent: SoftwareAgent) -> (asked: DispatchSemaphore, touched: DispatchSemaphore) {
        let asked = DispatchSemaphore(value: 0), touched = DispatchSemaphore(value: 0)
        agent.beforeSigning = {
            asked.signal()
            _ = touched.wait(timeout: .now() + 60)
        }
        return (asked, touched)
    }

    /// `body` on a thread of its own; the semaphore is signalled when it ends.
    static func inBackground(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            body()
            done.signal()
        }
        return done
    }

    @Test func aKeyWaitingForATouchNeverKeepsAHoldWaiting() throws {
        let (store, people, agent, bob, alice) = try Self.bobWithAToken()
        let carol = SignedIdentityTests.cockpit(store, signer: DecisionSigner(keyFile: people.carol.privatePath))
        try bob.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        try carol.perform(.canary(.approve(note: "")), as: Fixtures.actor("carol"))
        try alice.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
        #expect(try store.loadState().state.canary.stage.isLive)

        // bob approves the next step and does not touch his key until the hold is done.
        let (asked, touched) = Self.waitForTouch(agent)
        let bobDone = Self.inBackground { _ = try? bob.perform(.canary(.approve(note: "taking my time")), as: Fixtures.actor("bob")) }
        #expect(asked.wait(timeout: .now() + 10) == .success, "bob's key was asked to sign")
        try alice.perform(.canary(.hold(reason: "errors up")), as: Fixtures.actor("alice"))
        // An order, not a time: the hold is done while bob's approval still waits for his touch.
        #expect(bobDone.wait(timeout: .now()) == .timedOut, "the hold waited for bob's touch (or bob's approval gave up first)")
        #expect(try store.loadState().state.canary.stage == .held)
        agent.beforeSigning = nil
        touched.signal()
        #expect(bobDone.wait(timeout: .now() + 20) == .success)
        #expect(try Store.judgedRebuild(of: store.journalURL).refused.isEmpty, "every record written stands")
    }

    /// A decision signed while another write landed is decided again, and its key is asked again
    /// outside the lock too: a second wait for the touch keeps no one's write waiting either.
    @Test func aDecisionMadeStaleWhileItsKeyWaitedAsksTheKeyAgainOutsideTheLock() throws {
        let (store, _, agent, bob, alice) = try Self.bobWithAToken()
        let (asked, touched) = Self.waitForTouch(agent)
        let bobDone = Self.inBackground { _ = try? bob.perform(.canary(.approve(note: "taking my time")), as: Fixtures.actor("bob")) }
        #expect(asked.wait(timeout: .now() + 10) == .success, "bob's key was asked to sign")
        // A write lands while bob's key waits: what he signs is stale.
        try alice.perform(.addEvidence(id: "runtime.happy_path", text: "while bob reaches for his key", url: nil), as: Fixtures.actor("alice"))
        let (askedAgain, touchedAgain) = Self.waitForTouch(agent)
        touched.signal()
        #expect(askedAgain.wait(timeout: .now() + 10) == .success, "bob's key was asked again for the decision made afresh")
        // While it waits again, another write goes through: the key is not asked under the lock.
        let aliceDone = Self.inBackground { _ = try? alice.perform(.addEvidence(id: "runtime.happy_path", text: "and again", url: nil), as: Fixtures.actor("alice")) }
        #expect(aliceDone.wait(timeout: .now() + 10) == .success, "alice's write waited for bob's touch")
        agent.beforeSigning = nil
        touchedAgain.signal()
        #expect(bobDone.wait(timeout: .now() + 20) == .success)
        #expect(try Store.judgedRebuild(of: store.journalURL).refused.isEmpty, "every record written stands")
    }

    /// A rollback's hook has moved traffic; the key then does not sign its outcome (the agent
    /// stalls past its deadline). The outcome is written unsigned, as a lever's may be, and the
    /// canary is rolled back: it was left pending before.
    @Test func aRollbackWhoseOutcomeTheKeyDoesNotSignIsStillRecorded() throws {
        let (store, people, agent, bob, alice) = try Self.bobWithAToken(hook: true)
        let carol = SignedIdentityTests.cockpit(store, signer: DecisionSigner(keyFile: people.carol.privatePath))
        try bob.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        try carol.perform(.canary(.approve(note: "")), as: Fixtures.actor("carol"))
        try alice.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
        #expect(try store.loadState().state.canary.stage.isLive)
        // The rollback itself is signed; once the hook has moved traffic, no signature comes in time.
        let hookRan = Locked(false)
        agent.beforeSigning = { if hookRan.withLock({ $0 }) { usleep(2_500_000) } }
        let stalling = Cockpit(store: store, clock: .fixed(SignedIdentityTests.t0),
                               hookRunner: HookRunner { _ in
                                   hookRan.withLock { $0 = true }
                                   return HookResult(outcome: .applied, summary: "router at 0%", seconds: 0)
                               },
                               signer: DecisionSigner(agent: SSHAgent(socket: agent.socket, deadline: 1)))
        _ = try stalling.perform(.canary(.rollback(reason: "errors up")), as: Fixtures.actor("bob"))
        let state = try store.loadState().state
        #expect(state.canary.stage == .rolledBack && state.canary.pending == nil, "\(state.canary.stage)")
        let done = try #require(try store.recentEvents(limit: 6).last { $0.kind == .canaryTransitionDone })
        #expect(done.sig == nil, "the outcome is recorded unsigned")
        #expect(try Store.judgedRebuild(of: store.journalURL).refused.isEmpty)
    }

    @Test func touchIsReadWhereItIsWrittenAndItsRemovalLoosens() throws {
        let token = SoftwareSKKey(comment: "bob@token")
        let alice = try SSHTestKey.make("alice")
        func parse(_ team: String, identity: String = "signed") throws -> RolloutConfig {
            try RolloutConfigParser.parse(text: "name: t\nidentity: \(identity)\nteam:\n\(team)\n", file: "rollout.yaml", policyText: { _ in ("", "") })
        }
        let noToken = "  - {id: alice, roles: [captain], keys: [\"\(alice.publicLine)\"], touch: present}"
        do { _ = try parse(noToken); Issue.record("touch without a hardware key was accepted") } catch {
            #expect("\(error)".contains("rollout.yaml:4:") && "\(error)".contains("touch: present needs a hardware key"), "\(error)")
        }
        let typo = "  - {id: bob, roles: [captain], keys: [\"\(token.publicLine)\"], touch: yes}"
        do { _ = try parse(typo); Issue.record("touch: yes was accepted") } catch {
            #expect("\(error)".contains("rollout.yaml:4:") && "\(error)".contains("'touch' is present"), "\(error)")
        }
        let withTouch = "  - {id: bob, roles: [captain], keys: [\"\(token.publicLine)\"], touch: verified}"
        do { _ = try parse(withTouch, identity: "names"); Issue.record("touch under identity: names was accepted") } catch {
            #expect("\(error)".contains("rollout.yaml:2:") && "\(error)".contains("identity: names signs nothing"), "\(error)")
        }
        let strict = try parse(withTouch), relaxed = try parse(withTouch.replacingOccurrences(of: ", touch: verified", with: ", touch: present"))
        #expect(strict.member("bob")?.touch == .verified)
        #expect(Loosening.changes(from: strict, to: relaxed) == ["touch for bob: verified → present"])
        #expect(Loosening.changes(from: relaxed, to: strict).isEmpty, "asking more is a tightening")
    }
}
