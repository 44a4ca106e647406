import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// One judge (issue 25): a record written outside golive counts only if golive's writer would
/// have written it. Each test is an attack that succeeded before, through a store folder anyone
/// with write access can append to; each ends with the truth in the state, the gate refusing to
/// be READY on a refused record, and the levers acting.
@Suite(.serialized) struct OneJudgeTests {
    typealias People = SignedIdentityTests.People
    static let t0 = SignedIdentityTests.t0

    static func cockpit(_ store: Store, _ key: SSHTestKey?, at time: Date = t0, hook: HookResult.Outcome = .applied) -> Cockpit {
        Cockpit(store: store, clock: .fixed(time), hookRunner: HookRunner { _ in HookResult(outcome: hook, summary: "router", seconds: 0) },
                signer: DecisionSigner(keyFile: key?.privatePath))
    }

    static func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch let r as Refusal { return r.reason } catch { return "not a refusal: \(error)" }
        return nil
    }

    /// Untrusted from the refused record on: the gate is NOT READY on it, other writes are
    /// refused, and hold still acts.
    static func expectUntrusted(_ store: Store, _ p: People, reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let state = try store.loadState().state
        #expect(state.refused.count == 1 && state.refused.first?.reason.contains(reason) == true, "\(state.refused.map(\.summary))", sourceLocation: sourceLocation)
        let (verdict, _) = try cockpit(store, p.alice).gate()
        #expect(!verdict.ready && verdict.unmet.contains { $0.name == Gate.journalTrusted }, sourceLocation: sourceLocation)
        let write = refusal { try cockpit(store, p.alice).perform(.addEvidence(id: "runtime.happy_path", text: "more", url: nil), as: Fixtures.actor("alice")) }
        #expect(write?.contains("UNTRUSTED") == true, "\(write ?? "written")", sourceLocation: sourceLocation)
        if state.canary.stage.isLive {
            try cockpit(store, nil).perform(.canary(.hold(reason: "the journal holds a forged record")), as: Fixtures.actor("carol"))
            #expect(try store.loadState().state.canary.stage == .held, sourceLocation: sourceLocation)
        }
    }

    // Finding 2: an unsigned config.adopted naming files anyone can hash.
    @Test func anUnsignedAdoptionIsNotBelieved() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let mallory = try SSHTestKey.make("mallory")
        let before = try store.loadState().state.adoptedConfig
        var text = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        text = text.replacingOccurrences(of: "keys: [\"\(p.bob.publicLine)\"]", with: "keys: [\"\(p.bob.publicLine)\", \"\(mallory.publicLine)\"]")
        let original = try store.loadConfig()
        try Data(text.utf8).write(to: store.rolloutURL)
        let forged = try store.loadConfig()
        try Forger.append(store, kind: "config.adopted", actor: "alice",
                          data: #""config_sha256":"\#(forged.sha256)","files":\#(try Forger.json(forged.files)),"reason":"routine""#)
        // The files on disk put back: what is left to judge is the record alone.
        try Data(original.files[0].text!.utf8).write(to: store.rolloutURL)
        #expect(try store.loadState().state.adoptedConfig == before, "the forged adoption is not in force")
        try Self.expectUntrusted(store, p, reason: "is not signed")
    }

    // Finding 4: unsigned results (a non-blocker a condition rests on too) and a waiver the policy forbids.
    @Test func unsignedResultsAndForbiddenWaiversAreNotFolded() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        try Forger.append(store, kind: "item.set", actor: "carol", data: #""item":"observability.key_spans","note":"","status":"failed""#)
        try Self.expectUntrusted(store, p, reason: "is not signed")
        #expect(try store.loadState().state.item("observability.key_spans").status == .passed)

        // Signed by the captain, who may waive, and still beyond the policy: a blocker, ten years.
        let other = try SignedIdentityTests.shadowStore(p)
        let config = try other.loadConfig()
        let blocker = try #require(config.catalog.first { $0.severity == .blocker })
        try Forger.append(other, kind: "item.waived", actor: "alice",
                          data: #""expires":"2043-01-01T00:00:00.000Z","item":"\#(blocker.id)","reason":"later","rollout":"\#(config.name)""#, signedBy: p.alice)
        try Self.expectUntrusted(other, p, reason: "does not allow waiving blockers")
        #expect(try other.loadState().state.item(blocker.id).status == .passed)
    }

    // Finding 6: a member signs, with their own key outside golive, what their role may not do.
    @Test func aMemberBeyondTheirRoleIsNotFolded() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let config = try store.loadConfig()
        let sreBlocker = try #require(config.catalog.first { $0.owner == "sre" && $0.severity == .blocker && $0.derivedFromCapabilityField == nil })
        try Self.cockpit(store, p.alice).perform(.setItem(id: sreBlocker.id, status: .failed, note: "p99 broken", evidenceURL: nil), as: Fixtures.actor("alice"))
        try Forger.append(store, kind: "item.set", actor: "bob",
                          data: #""item":"\#(sreBlocker.id)","note":"fine","rollout":"\#(config.name)","status":"passed""#, signedBy: p.bob)
        try Self.expectUntrusted(store, p, reason: "it belongs to role sre")
        #expect(try store.loadState().state.item(sreBlocker.id).status == .failed)
    }

    // Finding 5: an outcome naming the transition in flight, with another target.
    @Test func aForgedOutcomeCannotSettleATransitionWithAnotherTarget() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p, hook: true)
        try Self.cockpit(store, p.bob).perform(.canary(.approve(note: "ok")), as: Fixtures.actor("bob"))
        try Self.cockpit(store, p.alice, hook: .unknown).perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
        let pending = try #require(try store.loadState().state.canary.pending)
        var wider = pending
        wider.exposurePct = 57
        wider.cohort = ["t-reg", "t-huge"]
        // Signed by the captain's own key: the signature is good, the record is not.
        try Forger.append(store, kind: "canary.transition_done", actor: "alice",
                          data: #""hook":{"outcome":"applied","seconds":0,"summary":"ok"},"rollout":"sim","transition":\#(try Forger.json(wider))"#, signedBy: p.alice)
        let state = try store.loadState().state
        #expect(state.canary.exposurePct == 0 && state.canary.pending == pending && state.canary.pendingUnknown)
        #expect(state.refused.first?.reason.contains("but the transition in flight is \(pending.id)") == true, "\(state.refused)")
        // Rollback acts on what is proven.
        try Self.cockpit(store, nil).perform(.canary(.rollback(reason: "forged outcome in the journal")), as: Fixtures.actor("carol"))
        #expect(try store.loadState().state.canary.stage == .rolledBack)
    }

    // Finding 9: time that runs backwards, from a hand-written record and from a slow clock.
    @Test func recordsThatGoBackInTimeAreRefusedAndASlowClockWritesNothing() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let last = Forger.time(of: Forger.lastLine(store))
        try Forger.append(store, kind: "canary.held", actor: "carol", data: #""reason":"x""#, at: last.addingTimeInterval(-2 * 3600))
        let state = try store.loadState().state
        #expect(state.canary.stage == .shadow)
        #expect(state.refused.first?.reason.contains("clock skew") == true && state.refused.first?.reason.contains(Timestamp.format(last)) == true, "\(state.refused)")

        let fresh = try SignedIdentityTests.shadowStore(p)
        let newest = Forger.time(of: Forger.lastLine(fresh))
        let slow = Self.cockpit(fresh, p.alice, at: newest.addingTimeInterval(-2 * 3600))
        do {
            try slow.perform(.addEvidence(id: "runtime.happy_path", text: "late", url: nil), as: Fixtures.actor("alice"))
            Issue.record("a machine two hours behind wrote a record")
        } catch {
            #expect("\(error)".contains("clock skew") && "\(error)".contains("behind the journal's newest record"), "\(error)")
        }
        // The lever still acts, stamped no earlier than the journal's newest record.
        let held = try slow.perform(.canary(.hold(reason: "slow clock, still a lever")), as: Fixtures.actor("alice"))
        #expect(held.state.canary.stage == .held && held.events.allSatisfy { $0.ts >= newest })
        #expect(try fresh.loadState().state.refused.isEmpty)
    }

    // Finding 7: hostile records never crash a reader or take the levers away.
    @Test func hostileRecordsAreRefusedAndTheLeversStillAct() throws {
        let p = try People.make()
        for hostile in ["deep", "utf8", "sig"] {
            let store = try SignedIdentityTests.shadowStore(p)
            switch hostile {
            case "deep":
                let nest = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
                try Forger.append(store, kind: "gate.shown", actor: "carol", data: #""x":\#(nest)"#)
            case "utf8":
                try Forger.append(store, kind: "item.evidence", actor: "carol", data: "",
                                  rawData: Array(#"{"item":"runtime.happy_path","evidence":{"kind":"note","text":""#.utf8) + [0xff, 0xfe] + Array(#""},"state_digest":""}"#.utf8))
            default:
                try Forger.append(store, kind: "canary.approved", actor: "bob", data: #""from":"shadow","to":"1%""#, rawSig: "not-base64!")
            }
            let state = try store.loadState().state
            #expect(state.refused.count == 1, "\(hostile): \(state.refused)")
            try Self.cockpit(store, nil).perform(.canary(.hold(reason: "hostile record")), as: Fixtures.actor("carol"))
            try Self.cockpit(store, nil).perform(.canary(.rollback(reason: "hostile record")), as: Fixtures.actor("carol"))
            #expect(try store.loadState().state.canary.stage == .rolledBack, "\(hostile)")
        }
    }

    // A captain sets the refused records aside, signed; the record and a side file keep them.
    @Test func aCaptainSetsRefusedRecordsAsideAndWorkGoesOn() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let forged = try Forger.append(store, kind: "item.set", actor: "carol", data: #""item":"observability.key_spans","note":"","status":"failed""#)
        let byBob = Self.refusal { try Self.cockpit(store, p.bob).setAsideRefused(reason: "mine", as: Fixtures.actor("bob")) }
        // Refused by the command itself (and journaled), not only by the judge under it.
        #expect(byBob?.contains("needs the captain role") == true && byBob?.hasPrefix("not a refusal") == false, "\(byBob ?? "set aside")")
        let done = try #require(try Self.cockpit(store, p.alice).setAsideRefused(reason: "forged by a CI runner; key rotated", as: Fixtures.actor("alice")))
        #expect(done.records.map(\.seq) == [Forger.seq(of: forged)])
        let side = try String(contentsOf: store.directory.appendingPathComponent(done.file), encoding: .utf8)
        #expect(side == forged + "\n")
        let state = try store.loadState().state
        #expect(state.refused.isEmpty)
        let record = try #require(try store.recentEvents(limit: 5).first { $0.kind == .journalSetAside })
        #expect(record.sig != nil && record.data.setAside?.records.first?.hash == ChainGuardTests.hash(of: forged))
        try Self.cockpit(store, p.alice).perform(.addEvidence(id: "runtime.happy_path", text: "after", url: nil), as: Fixtures.actor("alice"))
        // A rebuild from the journal agrees.
        try FileManager.default.removeItem(at: store.snapshotURL)
        #expect(try Store(directory: store.directory).loadState().state.refused.isEmpty)
    }
}

extension OneJudgeTests {
    // Finding 3: state.json edited, and one unsigned record committing to the edit.
    @Test func aForgedStateVouchedForByAnUnsignedRecordIsNotBelieved() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let config = try store.loadConfig()
        let blocker = try #require(config.item("eval_slo.offline_evals"))
        try Self.cockpit(store, p.alice).perform(.setItem(id: blocker.id, status: .failed, note: "3 of 40 runs fail", evidenceURL: nil), as: Fixtures.actor("alice"))
        let honest = try Store(directory: store.directory).loadState()
        #expect(honest.source.hasPrefix("snapshot"), "a signed writer's commitment is believed: \(honest.source) \(honest.snapshotProblem ?? "")")

        var forged = honest.state
        forged.items[blocker.id, default: ItemState()].status = .passed
        let last = Forger.lastLine(store)
        forged.seq = Forger.seq(of: last) + 1
        let snapshot = try forged.snapshot(batchStart: forged.seq + 1)
        let line = try Forger.append(store, kind: "session.ended", actor: "alice", data: "",
                                     rawData: Array(#"{"reason":"completed","state_digest":"\#(Digest.sha256Hex(snapshot.state))"}"#.utf8))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: store.journalURL.path)[.size] as? Int)
        try store.writeSnapshot(snapshot, seq: forged.seq, offset: size, adoptedSeq: nil)
        _ = line

        let loaded = try Store(directory: store.directory).loadState()
        #expect(loaded.state.item(blocker.id).status == .failed, "the forged state was believed (\(loaded.source))")
        #expect(loaded.snapshotProblem?.contains("only a signed commitment is believed") == true, "\(loaded.snapshotProblem ?? "no problem named")")
        let (verdict, _) = try Self.cockpit(store, p.alice).gate()
        #expect(!verdict.ready)
    }
}

extension OneJudgeTests {
    // Finding 2, by a member: bob signs an adoption with his own key; only a captain of the
    // configuration in force may adopt.
    @Test func anAdoptionSignedByANonCaptainIsNotBelieved() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let before = try store.loadState().state.adoptedConfig
        let original = try store.loadConfig()
        try Data(try #require(original.files[0].text).replacingOccurrences(of: "roles: [safety]", with: "roles: [safety, captain]").utf8).write(to: store.rolloutURL)
        let forged = try store.loadConfig()
        try Forger.append(store, kind: "config.adopted", actor: "bob",
                          data: #""config_sha256":"\#(forged.sha256)","files":\#(try Forger.json(forged.files)),"reason":"me too","rollout":"sim""#, signedBy: p.bob)
        try Data(try #require(original.files[0].text).utf8).write(to: store.rolloutURL)
        #expect(try store.loadState().state.adoptedConfig == before)
        try Self.expectUntrusted(store, p, reason: "needs the captain role")
    }

    // Finding 5's rules for a transition written by hand, signed by the captain herself: the cap
    // and the excluded tenants hold of records as they hold of commands.
    @Test func aHandWrittenAdvanceBeyondTheCapOrToAnExcludedTenantIsRefused() throws {
        let p = try People.make()
        for (cohort, exposure, reason) in [(["t-huge"], 95.1, "over the limit"), (["t-reg"], 0.3, "excludes")] {
            let store = try SignedIdentityTests.shadowStore(p)
            try Self.cockpit(store, p.bob).perform(.canary(.approve(note: "ok")), as: Fixtures.actor("bob"))
            try Self.cockpit(store, p.carol).perform(.canary(.approve(note: "ok")), as: Fixtures.actor("carol"))
            let t = CanaryTransition(id: "canary999", action: "advance", from: "shadow", to: "1%", stage: .canary, step: 0,
                                     exposurePct: exposure, cohort: cohort, hook: nil, reason: nil, breakGlass: nil)
            try Forger.append(store, kind: "canary.transition_started", actor: "alice", data: #""rollout":"sim","transition":\#(try Forger.json(t))"#, signedBy: p.alice)
            try Forger.append(store, kind: "canary.transition_done", actor: "alice",
                              data: #""hook":{"outcome":"none","seconds":0,"summary":"x"},"rollout":"sim","transition":\#(try Forger.json(t))"#, signedBy: p.alice)
            let state = try store.loadState().state
            #expect(state.canary.stage == .shadow && state.canary.exposurePct == 0, "\(cohort)")
            #expect(state.refused.first?.reason.contains(reason) == true, "\(state.refused.map(\.summary))")
        }
    }
}

extension OneJudgeTests {
    // Finding 1: repair.pending planted as a link to someone's private key, or as a file of
    // someone else's words, is never read into the journal.
    @Test func aPlantedRepairNoteIsNeverRead() throws {
        let p = try People.make()
        let secret = Fixtures.tempDir("victim").appendingPathComponent("id_ed25519")
        try Data("-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-KEY-MATERIAL\n".utf8).write(to: secret)
        for planted in ["link", "text"] {
            let store = try SignedIdentityTests.shadowStore(p)
            let pending = store.directory.appendingPathComponent("repair.pending")
            if planted == "link" {
                try FileManager.default.createSymbolicLink(at: pending, withDestinationURL: secret)
            } else {
                try Data("set aside the key: -----BEGIN OPENSSH PRIVATE KEY----- SECRET-KEY-MATERIAL".utf8).write(to: pending)
            }
            let (verdict, _) = try Self.cockpit(store, p.carol).gate()
            try Self.cockpit(store, p.carol).recordShown(verdict, surface: "cli", as: Fixtures.actor("carol"))
            let journal = String(decoding: Fixtures.bytes(store.journalURL), as: UTF8.self)
            #expect(!journal.contains("SECRET-KEY-MATERIAL"), "\(planted): the planted file was copied into the journal")
            #expect(!journal.contains("journal.repaired"), "\(planted)")
        }
    }
}

extension OneJudgeTests {
    /// Automation (a CI job, a probe timer) signs as what it is: a member of its own with its own
    /// key and only the roles it needs, and every record it writes says so.
    @Test func automationSignsAsWhatItIs() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let bot = try SSHTestKey.make("ci-bot")
        let text = try String(contentsOf: store.rolloutURL, encoding: .utf8)
            .replacingOccurrences(of: "  - {id: dan, roles: [eval]}", with: "  - {id: dan, roles: [eval]}\n  - {id: ci-bot, roles: [sre], automation: true, keys: [\"\(bot.publicLine)\"]}")
        try Data(text.utf8).write(to: store.rolloutURL)
        try Fixtures.adoptWithConsent("the CI job signs its probe results") { who in Self.cockpit(store, who == "alice" ? p.alice : p.bob) }
        let outcome = try Self.cockpit(store, bot).perform(.addEvidence(id: "observability.key_spans", text: "nightly trace check", url: nil), as: Fixtures.actor("ci-bot"))
        let record = try #require(outcome.events.first { $0.kind == .itemEvidence })
        #expect(record.data.automation == true && record.sig != nil && EventText.describe(record).hasPrefix("[automation] "))
        #expect(try store.loadState().state.refused.isEmpty)
        // Its key, without saying it is automation; and a person claiming to be automation.
        try Forger.append(store, kind: "item.evidence", actor: "ci-bot",
                          data: #""evidence":{"kind":"note","text":"x"},"item":"observability.key_spans","rollout":"sim""#, signedBy: bot)
        try Self.expectUntrusted(store, p, reason: "is automation in the roster in force")
    }
}

extension OneJudgeTests {
    /// A line of the journal edited in place (its hash no longer matches its bytes), a record
    /// deleted (the next one no longer links), or a line that is not a record at all: each stopped
    /// every fold, hold and rollback included ("does not verify"). Now each is refused where it
    /// stands, the store is UNTRUSTED at it, the levers act and a captain can set it aside.
    @Test func aBrokenChainIsRefusedWhereItStandsAndTheLeversStillAct() throws {
        let p = try People.make()
        for damage in ["edited", "deleted", "garbage"] {
            let store = try SignedIdentityTests.shadowStore(p)
            var lines = ChainGuardTests.lines(store.journalURL)
            let target = lines.count / 2
            let seq = Forger.seq(of: lines[target])
            switch damage {
            case "edited": lines[target] = lines[target].replacingOccurrences(of: #""actor":""#, with: #""actor":"x"#)
            case "deleted": lines.remove(at: target)
            default: lines.insert("this is not a record", at: target)
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: store.journalURL)
            try FileManager.default.removeItem(at: store.snapshotURL)
            let state = try store.loadState().state
            // One refused line, no more: the records around it keep their places in the chain.
            #expect(state.refused.count == 1, "\(damage): \(state.refused.map(\.summary))")
            let reason = state.refused.first?.reason ?? ""
            let expected = ["edited": "its hash does not match its bytes", "deleted": "does not continue the chain", "garbage": "not a journal record"][damage]!
            #expect(reason.contains(expected), "\(damage): \(reason)")
            // A deleted record is found at the one after it, which no longer links.
            #expect(state.refused.first?.seq == (damage == "deleted" ? seq + 1 : seq), "\(damage): \(state.refused.map(\.summary))")
            #expect(state.canary.stage == .shadow, "\(damage): the records after the break still count")
            let (verdict, _) = try Self.cockpit(store, p.alice).gate()
            #expect(!verdict.ready && verdict.unmet.contains { $0.name == Gate.journalTrusted }, "\(damage)")
            try Self.cockpit(store, nil).perform(.canary(.hold(reason: "the journal was edited")), as: Fixtures.actor("carol"))
            try Self.cockpit(store, nil).perform(.canary(.rollback(reason: "the journal was edited")), as: Fixtures.actor("carol"))
            #expect(try store.loadState().state.canary.stage == .rolledBack, "\(damage)")
            #expect(try !JournalVerifier.verify(fileAt: store.journalURL).ok, "\(damage): audit verify must not say ok")
            let aside = try #require(try Self.cockpit(store, p.alice).setAsideRefused(reason: "\(damage) by hand", as: Fixtures.actor("alice")), "\(damage)")
            let side = try String(contentsOf: store.directory.appendingPathComponent(aside.file), encoding: .utf8)
            if damage != "deleted" { #expect(side.contains(damage == "garbage" ? "this is not a record" : #""actor":"x"#), "\(damage): \(side)") }
            #expect(try store.loadState().state.refused.isEmpty, "\(damage)")
            try Self.cockpit(store, p.alice).perform(.addEvidence(id: "runtime.happy_path", text: "after", url: nil), as: Fixtures.actor("alice"))
            try FileManager.default.removeItem(at: store.snapshotURL)
            #expect(try Store(directory: store.directory).loadState().state.refused.isEmpty, "\(damage): a rebuild agrees")
        }
    }
}

extension OneJudgeTests {
    /// The last line of the journal, the one every write chains onto: a line that is not a record,
    /// or a record claiming a newer format, made every command exit 2 (hold and rollback too).
    @Test func aHostileLastLineNeverTakesTheLeversAway() throws {
        let p = try People.make()
        for damage in ["garbage", "newer"] {
            let store = try SignedIdentityTests.shadowStore(p)
            if damage == "garbage" {
                let handle = try FileHandle(forWritingTo: store.journalURL)
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("{\"hello\": \"not a record\"}\n".utf8))
                try handle.close()
            } else {
                try Forger.append(store, kind: "gate.shown", actor: "carol", data: "")
                var lines = ChainGuardTests.lines(store.journalURL)
                let last = lines.removeLast().replacingOccurrences(of: #"^\{"v":[0-9]+,"#, with: #"{"v":99,"#, options: .regularExpression)
                try Data((lines.joined(separator: "\n") + "\n" + ChainGuardTests.reseal(last) + "\n").utf8).write(to: store.journalURL)
            }
            let write = Self.refusal { try Self.cockpit(store, p.alice).perform(.addEvidence(id: "runtime.happy_path", text: "more", url: nil), as: Fixtures.actor("alice")) }
            #expect(write != nil, "\(damage): an ordinary write went on")
            try Self.cockpit(store, nil).perform(.canary(.hold(reason: "a hostile last line")), as: Fixtures.actor("carol"))
            try Self.cockpit(store, nil).perform(.canary(.rollback(reason: "a hostile last line")), as: Fixtures.actor("carol"))
            #expect(try store.loadState().state.canary.stage == .rolledBack, "\(damage)")
            let kept = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix("journal.torn-") }
            if damage == "garbage" {
                #expect(kept.count == 1, "the line is set aside as an unfinished write: \(kept)")
            } else {
                #expect(try store.loadState().state.refused.first?.reason.contains("newer golive") == true)
            }
        }
    }
}
