import Foundation
import Testing
import GoLiveCore

/// What a CI script leans on: lists of ids, waiting with distinct exit codes.
@Suite struct ScriptingCLITests {
    @Test func itemsBlockersListExactlyTheBlockersStatusShows() throws {
        let store = try CLI.sampleStore()
        let status = try CLI.run(["status"], store: store)
        let shown = status.out.components(separatedBy: "Open blockers (").dropFirst().first?
            .split(separator: "\n").dropFirst().prefix { $0.hasPrefix("  ") }
            .compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) } ?? []
        #expect(!shown.isEmpty, "\(status.out)")
        let items = try CLI.run(["items", "--blockers", "--json"], store: store)
        #expect(items.code == 0, "\(items.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(items.out.utf8)) as? [[String: Any]])
        #expect(rows.compactMap { $0["id"] as? String } == shown)
        #expect(rows.allSatisfy { $0["severity"] as? String == "blocker" && $0["standing"] as? String != "satisfied" })
        // Every listed id is one `golive item` takes.
        for id in rows.compactMap({ $0["id"] as? String }) {
            #expect(try CLI.run(["item", id], store: store).code == 0)
        }
        let safety = try CLI.run(["items", "--contour", "safety", "--owner", "safety"], store: store)
        #expect(safety.code == 0 && safety.out.hasPrefix("id ") && safety.out.contains("safety."), "\(safety.out)")
        let typo = try CLI.run(["items", "--contour", "saftey"], store: store)
        #expect(typo.code == 2 && typo.err.contains("unknown contour 'saftey'; did you mean 'safety'?"), "\(typo.err)")
        let nobody = try CLI.run(["items", "--owner", "nobody"], store: store)
        #expect(nobody.code == 2 && nobody.err.contains("no item is owned by 'nobody'"), "\(nobody.err)")
    }
}

/// `golive wait` and `golive canary status`: one test per documented exit code.
@Suite struct WaitExitCodeTests {
    static func script(_ store: URL, _ args: [String], result: URL, stderr: ChildProcess.Output = .capture(limit: 1 << 20)) throws -> ChildProcess {
        try ChildProcess([CLI.repoRoot.appendingPathComponent("scripts/wait-for-stage.sh").path, store.path] + args,
                         .init(environment: ChildProcess.environment(adding: ["GOLIVE": CLI.binary, "WAIT_RESULT": result.path, "GOLIVE_CACHE": CLI.cacheFolder],
                                                                     removing: ["GOLIVE_OPERATOR", "GOLIVE_STORE"]),
                               stderr: stderr, timeoutSeconds: 60))
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: url.path) ?? Data()) as? [String: Any])
    }

    @Test func theScriptWaitsForOnePercentWhileAnotherProcessWalksTheCanary() throws {
        let store = try CanaryTmuxTests.readyStore()
        let result = CLI.tempDir("wait").appendingPathComponent("wait.json")
        let progress = result.deletingLastPathComponent().appendingPathComponent("wait.stderr").path
        let waiter = try Self.script(store, ["1%", "60s"], result: result, stderr: .file(progress))
        // The script has seen the canary planned before anyone moves it (under load it could
        // start after the shadow step, and report only that).
        let seen = Date().addingTimeInterval(30)
        func progressText() -> String { (try? String(contentsOfFile: progress, encoding: .utf8)) ?? "" }
        while !progressText().contains("waiting for stage=1%") && Date() < seen { usleep(20_000) }
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        let planned = try CLI.run(["canary", "status"], store: store)
        #expect([0, 5].contains(planned.code), "shadow: active while its minimum runs, then waiting for a person")
        // The shadow minimum of 0.05 min runs out: then a person must decide (polled, with a deadline).
        let deadline = Date().addingTimeInterval(30)
        var code = planned.code
        while code != 5 && Date() < deadline { usleep(100_000); code = try CLI.run(["canary", "status"], store: store).code }
        #expect(code == 5, "shadow served: waiting for a person")
        #expect(try CLI.run(["canary", "approve"], store: store, as: "bob").code == 0)
        #expect(try CLI.run(["canary", "advance"], store: store, as: "alice").code == 0)
        let ended = waiter.wait()
        #expect(ended.ending == .exited(0), "\(ended.stdout.text) \(progressText())")
        #expect(ended.stdout.text.contains("canary reached 1%: continuing"))
        #expect(progressText().contains("waiting for stage=1%: gate READY · canary planned 0%"), "\(progressText())")
        let report = try Self.json(result)
        #expect(report["result"] as? String == "reached stage=1%" && report["exit_code"] as? Int == 0 && report["canary"] as? String == "at 1%")
        // A stage already passed counts as reached at once.
        #expect(try CLI.run(["wait", "--until", "stage=shadow", "--timeout", "10s"], store: store).code == 0)
        #expect(try CLI.run(["wait", "--until", "ready", "--timeout", "5s"], store: store).code == 0)
        // At 1% with one step to go: a person decides next.
        #expect(try CLI.run(["canary", "status"], store: store).code == 5)
    }

    @Test func heldOrRolledBackIsThreeTimedOutIsFourBadInputIsTwoRefusedIsOne() throws {
        let store = try CanaryTmuxTests.readyStore()
        #expect(try CLI.run(["canary", "status"], store: store).code == 5, "planned: waiting for a person")
        let timeout = try CLI.run(["wait", "--until", "stage=1%", "--timeout", "1s", "--interval", "0.2", "--json"], store: store)
        #expect(timeout.code == 4, "\(timeout.err)")
        #expect(timeout.out.contains("\"result\" : \"timed out\"") || timeout.out.contains("\"result\":\"timed out\""), "\(timeout.out)")
        #expect(timeout.err.contains("waiting for stage=1%"))

        let result = CLI.tempDir("wait").appendingPathComponent("wait.json")
        let waiter = try Self.script(store, ["5%", "60s"], result: result)
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        #expect(try CLI.run(["canary", "hold", "--reason", "p99 rising"], store: store, as: "dan").code == 0)
        let ended = waiter.wait()
        #expect(ended.ending == .exited(3), "\(ended.stdout.text) \(ended.stderr.text)")
        #expect(ended.stderr.text.contains("canary held or rolled back: stopping the pipeline"))
        #expect((try Self.json(result))["detail"] as? String == "held at shadow: p99 rising")
        #expect(try CLI.run(["canary", "status"], store: store).code == 3)
        #expect(try CLI.run(["wait", "--until", "held", "--timeout", "10s"], store: store).code == 0)
        #expect(try CLI.run(["canary", "rollback", "--reason", "done testing"], store: store, as: "carol").code == 0)
        #expect(try CLI.run(["wait", "--until", "completed", "--timeout", "10s"], store: store).code == 3)
        #expect(try CLI.run(["canary", "status"], store: store).code == 3)

        let bad = try CLI.run(["wait", "--until", "stage=2%"], store: store)
        #expect(bad.code == 2 && bad.err.contains("the policy has no stage '2%'; its stages are shadow, 1%, 5%"), "\(bad.err)")
        let badSpan = try CLI.run(["wait", "--until", "ready", "--timeout", "soon"], store: store)
        #expect(badSpan.code == 2 && badSpan.err.contains("cannot read --timeout 'soon'"))
        let typo = try CLI.run(["wait", "--until", "redy"], store: store)
        #expect(typo.code == 2 && typo.err.contains("expected ready, stage=shadow, stage=1%, completed or held"))

        // Edited outside the journal: no verdict on it is the adopted one.
        let policy = store.appendingPathComponent("policy.yaml")
        try (String(contentsOf: policy, encoding: .utf8) + "\n").write(to: policy, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["wait", "--until", "ready", "--timeout", "5s"], store: store)
        #expect(refused.code == 1 && refused.out.contains("configuration changed outside the journal"), "\(refused.out) \(refused.err)")
        #expect(try CLI.run(["canary", "status"], store: store).code == 1)
    }
}

/// `golive what-if`: answers without writing, unless asked to record.
@Suite struct WhatIfCLITests {
    static func journal(_ store: URL) -> Data { FileManager.default.contents(atPath: store.appendingPathComponent("journal.jsonl").path) ?? Data() }

    @Test func aStricterPolicyPrintsTheRequirementsThatWouldNewlyFailAndWritesNothing() throws {
        let store = try CLI.sampleStore()
        let before = Self.journal(store)
        let stricter = CLI.repoRoot.appendingPathComponent("sample-data/stricter-policy.yaml").path
        let r = try CLI.run(["what-if", "--policy", stricter], store: store, as: "alice")
        #expect(r.code == 1, "NOT READY under the question: exit 1 \(r.err)")
        #expect(r.out.contains("what-if: policy stricter-policy.yaml"))
        #expect(r.out.contains("newly failing (3):"), "\(r.out)")
        #expect(r.out.contains("✗ release_window_known: the release window and the telemetry flow are confirmed"))
        #expect(r.out.contains("ownership.release_window_known (open: not checked yet)"))
        #expect(r.out.contains("✗ observability: no sign-off by sre") && r.out.contains("✗ operations: no sign-off by sre"))
        #expect(r.out.contains("nothing was written"))
        #expect(Self.journal(store) == before, "a what-if writes nothing")
        // Replayed over history: the sample never was READY under either policy.
        let history = try CLI.run(["what-if", "--policy", stricter, "--history", "--json"], store: store, as: "alice")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.out.utf8)) as? [String: Any])
        let replay = try #require(json["history"] as? [String: Any])
        #expect(replay["records"] as? Int == 97 && replay["first_ready_seq_recorded"] == nil && replay["first_ready_seq_what_if"] == nil, "\(replay)")
        #expect(Self.journal(store) == before)
        // A bad policy file is bad input with its place, and nothing is written.
        let broken = CLI.tempDir("whatif").appendingPathComponent("broken.yaml")
        try "rollout:\n  require: [no_such_condition]\n".write(to: broken, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["what-if", "--policy", broken.path], store: store, as: "alice")
        #expect(bad.code == 2 && bad.err.contains("broken.yaml:2:13: error: unknown condition 'no_such_condition'"), "\(bad.err)")
    }

    @Test func aWaiverAndATimeShowWhichWaiversHaveExpiredByThenAndRecordOnlyWhenAsked() throws {
        let store = try CLI.sampleStore()
        let before = Self.journal(store)
        let r = try CLI.run(["what-if", "--waive", "ownership.telemetry_flow", "--waive-until", "1h", "--at", "next friday 18:00"], store: store, as: "alice",
                            env: ["TZ": "Europe/Berlin"])
        #expect(r.code == 1, "NOT READY under the question: exit 1 \(r.err)")
        #expect(r.out.contains("⌛ ownership.telemetry_flow: waived until"), "\(r.out)")
        #expect(Self.journal(store) == before)
        let far = try CLI.run(["what-if", "--at", "2099-01-01"], store: store, as: "alice")
        #expect(far.out.contains("⌛ operations.runbook: waived until") && far.out.contains("on-call briefed"), "\(far.out)")
        #expect(far.out.contains("operations.runbook") && far.out.contains("newly failing"), "an expired waiver reopens the runbook: \(far.out)")
        let blocker = try CLI.run(["what-if", "--waive", "eval_slo.offline_evals"], store: store, as: "alice")
        #expect(blocker.out.contains("✓ offline_eval_pass"))
        #expect(blocker.out.contains("note: a real waiver of eval_slo.offline_evals would be refused: eval_slo.offline_evals is a blocker"), "\(blocker.out)")
        let past = try CLI.run(["what-if", "--at", "2020-01-01"], store: store, as: "alice")
        #expect(past.code == 2 && past.err.contains("is in the past"))
        let typo = try CLI.run(["what-if", "--waive", "ops.runbok"], store: store, as: "alice")
        #expect(typo.code == 2 && typo.err.contains("unknown item 'ops.runbok'"))
        #expect(Self.journal(store) == before)
        let recorded = try CLI.run(["what-if", "--at", "2099-01-01", "--record"], store: store, as: "alice")
        #expect(recorded.code == 1 && recorded.out.contains("recorded in the journal"), "\(recorded.err)")
        let csv = try CLI.run(["audit", "export", "--format", "csv"], store: store)
        #expect(csv.out.contains("what_if.asked") && csv.out.contains("at 2099-01-01"), "\(csv.out.suffix(600))")
    }
}

/// Stop the line: one command holds every live canary it is given.
@Suite struct StopTheLineTests {
    @Test func holdAllStoresHoldsEveryLiveCanaryWithOneReasonAndSkipsTheRest() throws {
        let eu = try CanaryTmuxTests.readyStore(), us = try CanaryTmuxTests.readyStore(), planned = try CLI.sampleStore()
        #expect(try CLI.run(["canary", "shadow"], store: eu, as: "alice").code == 0)
        #expect(try CLI.run(["canary", "shadow"], store: us, as: "alice").code == 0)
        let missing = CLI.tempDir("nostore").appendingPathComponent("none")
        let r = try CLI.run(["canary", "hold", "--reason", "stop the line: payments incident", "--as", "dan",
                             "--all-stores", eu.path, planned.path, missing.path, us.path])
        #expect(r.code == 2, "a path that is not a store is bad input, after the others were held: \(r.err)")
        #expect(r.out.contains("\(eu.path): held at shadow") && r.out.contains("\(us.path): held at shadow"), "\(r.out)")
        #expect(r.out.contains("\(planned.path): not live (planned); nothing to hold"))
        #expect(r.err.contains("\(missing.path): no GoLive store at"))
        for store in [eu, us] {
            let status = try CLI.run(["canary", "status"], store: store)
            #expect(status.code == 3 && status.out.contains("held: stop the line: payments incident"), "\(status.out)")
            let csv = try CLI.run(["audit", "export", "--format", "csv"], store: store).out
            #expect(csv.contains("canary.held") && csv.contains("dan"))
        }
        let again = try CLI.run(["canary", "hold", "--reason", "x", "--all-stores", eu.path], as: "dan")
        #expect(again.code == 0 && again.out.contains("not live (held at shadow)"), "\(again.out) \(again.err)")
        let usage = try CLI.run(["canary", "hold", "--reason", "x", "--all-stores"])
        #expect(usage.code == 2 && usage.err.contains("--all-stores needs the store directories"))
    }
}

extension WhatIfCLITests {
    @Test func historyFindsTheFirstSeqALaxerPolicyWouldHaveBeenReadyAt() throws {
        let store = try CLI.sampleStore()
        let lax = CLI.tempDir("whatif").appendingPathComponent("lax.yaml")
        try "rollout:\n  require: [policy_prechecks]\n".write(to: lax, atomically: true, encoding: .utf8)
        // No policy drops a blocker: while two are open, the laxer policy is never READY either.
        let blocked = try CLI.run(["what-if", "--policy", lax.path, "--history", "--json"], store: store, as: "alice")
        let blockedJSON = try #require(try JSONSerialization.jsonObject(with: Data(blocked.out.utf8)) as? [String: Any])
        #expect((blockedJSON["history"] as? [String: Any])?["first_ready_seq_what_if"] == nil, "\(blocked.out)")
        #expect(blocked.out.contains("blockers_satisfied"), "\(blocked.out)")
        // Issue 26, point 6: what-if exits as the gate would under the question.
        #expect(blocked.code == 1, "a NOT READY answer exited \(blocked.code)")
        // Every blocker met the way a user does it, but not key spans, which only the recorded policy needs.
        for (item, who) in [("eval_slo.offline_evals", "dan"), ("operations.oncall_owner", "carol")] {
            let w = try CLI.run(["item", item, "--pass", "--note", "done"], store: store, as: who)
            #expect(w.code == 0, "\(w.err)")
        }
        let rollout = store.appendingPathComponent("rollout.yaml")
        let yaml = try String(contentsOf: rollout, encoding: .utf8)
            .replacingOccurrences(of: "span tool.refund_payment with refund id\n", with: "span tool.refund_payment with refund id\n    unknown_side_effect_path: query refund by key\n")
            .replacingOccurrences(of: "span tool.email_send\n", with: "span tool.email_send\n    unknown_side_effect_path: relay log lookup\n")
        try yaml.write(to: rollout, atomically: true, encoding: .utf8)
        #expect(try CLI.adopt(store, reason: "declare the unknown side effect paths").code == 0)
        let r = try CLI.run(["what-if", "--policy", lax.path, "--history", "--json"], store: store, as: "alice")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let replay = try #require(json["history"] as? [String: Any])
        let seq = try #require(replay["first_ready_seq_what_if"] as? Int, "\(r.out)")
        #expect(replay["first_ready_seq_recorded"] == nil)
        // At that seq the last blocker was met: the record is the adoption that declared the paths.
        let line = try CLI.run(["audit", "export", "--format", "jsonl"], store: store).out.split(separator: "\n").first { $0.contains("\"seq\":\(seq),") }
        #expect(line?.contains("\"kind\":\"config.adopted\"") == true, "\(String(describing: line))")
        #expect(json["what_if_ready"] as? Bool == true && json["today_ready"] as? Bool == false)
        #expect(r.code == 0, "a READY answer exited \(r.code)")
    }
}

/// Issue 26, point 6: `waive` and `signoff` took no revision, so a script's waiver or sign-off
/// silently replaced what another operator had just written.
@Suite struct NoSilentOverwriteCLITests {
    @Test func waiveAndSignOffCarryWhatTheySaw() throws {
        let store = try CLI.sampleStore()
        let shown = try CLI.run(["item", "operations.runbook", "--json"], store: store)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.out.utf8)) as? [String: Any])
        let revision = try #require((json["state"] as? [String: Any])?["revision"] as? Int)
        #expect(try CLI.run(["item", "operations.runbook", "--note", "runbook draft moved"], store: store, as: "carol").code == 0)
        let stale = try CLI.run(["waive", "operations.runbook", "--reason", "review Monday", "--expires", "3d", "--expect-revision", "\(revision)"], store: store, as: "alice")
        #expect(stale.code == 1 && stale.err.contains("changed since you opened this") && stale.err.contains("by carol"), "\(stale.err)")
        let status = try CLI.run(["status", "--json"], store: store)
        let contours = try #require((try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])?["contours"] as? [[String: Any]])
        let safety = try #require(contours.first { $0["contour"] as? String == "safety" }?["sha256"] as? String)
        let moved = try CLI.run(["signoff", "safety", "--role", "safety", "--expect-contour", "000000000000"], store: store, as: "bob")
        #expect(moved.code == 1 && moved.err.contains("changed since you looked"), "\(moved.err)")
        let ok = try CLI.run(["signoff", "safety", "--role", "safety", "--expect-contour", String(safety.prefix(12))], store: store, as: "bob")
        #expect(ok.code == 0 && ok.out.contains("bound to the contour at sha256 \(safety.prefix(12))"), "\(ok.out) \(ok.err)")
        let bad = try CLI.run(["signoff", "safety", "--role", "safety", "--expect-contour", "xyz"], store: store, as: "bob")
        #expect(bad.code == 2 && bad.err.contains("--expect-contour needs at least 12 hex digits"))
    }
}

/// Issue 26, point 6: `items --owner carol` failed and listed the roles twice.
@Suite struct OwnerByPersonTests {
    @Test func itemsOwnedByAPersonAreTheirRolesItems() throws {
        let store = try CLI.sampleStore()
        let carol = try CLI.run(["items", "--owner", "carol", "--json"], store: store)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(carol.out.utf8)) as? [[String: Any]])
        let sre = try #require(try JSONSerialization.jsonObject(with: Data(CLI.run(["items", "--owner", "sre", "--json"], store: store).out.utf8)) as? [[String: Any]])
        #expect(carol.code == 0 && !rows.isEmpty && rows.count == sre.count, "carol is sre in the sample: \(carol.err)")
        let typo = try CLI.run(["items", "--owner", "carl"], store: store)
        #expect(typo.code == 2 && typo.err.contains("did you mean 'carol'"), "\(typo.err)")
        #expect(typo.err.components(separatedBy: "captain").count <= 2, "the roles are listed once: \(typo.err)")
    }
}

/// Issue 26, point 6: `golive gate` polled by CI wrote three records per poll and flooded the
/// report's sessions table. A verdict already the last thing journaled, unchanged, is not again.
@Suite struct GatePollingTests {
    @Test func pollingAnUnchangedGateWritesOnce() throws {
        let store = try CLI.sampleStore()
        let journal = store.appendingPathComponent("journal.jsonl")
        _ = try CLI.run(["gate"], store: store, as: "ci")
        let once = try Data(contentsOf: journal)
        for _ in 0..<5 {
            let r = try CLI.run(["gate"], store: store, as: "ci")
            #expect(r.code == 1 && r.out.contains("GATE: NOT READY"))
        }
        #expect(try Data(contentsOf: journal) == once, "an unchanged verdict was journaled again")
        // Another operator asking, or anything changed since, is journaled.
        _ = try CLI.run(["gate"], store: store, as: "dan")
        #expect(try Data(contentsOf: journal).count > once.count)
    }
}
