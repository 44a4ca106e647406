import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

@Suite struct ReducerTests {
    typealias Check = @Sendable (UIState) throws -> Void

    /// One check per action of the keymap; the last test asserts none is left out.
    static let checks: [Action: Check] = [
        .down: { s in #expect(UIFixtures.press(s, .char("j")).0.selectedIndex == 1); #expect(UIFixtures.press(s, .down, .down).0.selectedIndex == 2) },
        .up: { s in #expect(UIFixtures.press(s, .down, .down, .char("k")).0.selectedIndex == 1); #expect(UIFixtures.press(s, .up).0.selectedIndex == 0) },
        .pageDown: { s in #expect(UIFixtures.press(s, .pageDown).0.selectedIndex == 5) },
        .pageUp: { s in #expect(UIFixtures.press(s, .pageDown, .pageUp).0.selectedIndex == 0) },
        .top: { s in #expect(UIFixtures.press(s, .down, .down, .char("g")).0.selectedIndex == 0) },
        .bottom: { s in #expect(UIFixtures.press(s, .char("G")).0.selectedIndex == 5) },
        .nextContour: { s in
            #expect(UIFixtures.press(s, .char("l")).0.contour == .safety)
            #expect(UIFixtures.press(s, .tab, .right).0.contour == .capabilities)
        },
        .prevContour: { s in #expect(UIFixtures.press(s, .char("h")).0.contour == .ownership); #expect(UIFixtures.press(s, .left, .backTab).0.contour == .operations) },
        .open: { s in
            let (o, _) = UIFixtures.press(s, .down, .enter)
            #expect(o.mode == .detail && o.selectedRow?.id == "runtime.tool_hops_bounded")
            #expect(Render.frame(o).text.contains("why"))
        },
        .pass: { s in
            var (st, _) = UIFixtures.press(s, .char(" "))
            #expect(st.dialog == .note(kind: .pass, item: "runtime.happy_path", note: TextField(), revision: st.dashboard.readiness.state.item("runtime.happy_path").revision))
            st = UIFixtures.type(st, "https://ci/1 all green")
            let (_, effects) = UIFixtures.press(st, .enter)
            #expect(effects == [.perform(.setItem(id: "runtime.happy_path", status: .passed, note: "all green", evidenceURL: "https://ci/1"), success: "✓ runtime.happy_path passed", expecting: SeenState(itemRevision: s.dashboard.readiness.state.item("runtime.happy_path").revision))])
        },
        .fail: { s in
            let (_, effects) = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char("f")).0, "broken"), .enter)
            #expect(effects == [.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "broken", evidenceURL: nil), success: "✗ runtime.happy_path failed", expecting: SeenState(itemRevision: s.dashboard.readiness.state.item("runtime.happy_path").revision))])
        },
        .notApplicable: { s in
            let (_, effects) = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char("n")).0, "no such path"), .enter)
            #expect(effects.first == .perform(.setItem(id: "runtime.happy_path", status: .not_applicable, note: "no such path", evidenceURL: nil), success: "– runtime.happy_path not applicable", expecting: SeenState(itemRevision: s.dashboard.readiness.state.item("runtime.happy_path").revision)))
        },
        .evidence: { s in
            let (_, effects) = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char("e")).0, "rerun ok"), .enter)
            #expect(effects == [.perform(.addEvidence(id: "runtime.happy_path", text: "rerun ok", url: nil), success: "evidence added to runtime.happy_path", expecting: SeenState(itemRevision: s.dashboard.readiness.state.item("runtime.happy_path").revision))])
        },
        .waive: { s in
            // The sample policy forbids waiving blockers: the second runtime item is required.
            var st = UIFixtures.press(s, .down, .char("w")).0
            let id = s.visibleRows[1].id
            guard case let .waive(item, blocker, _, _, _, revision)? = st.dialog else { Issue.record("no waive dialog"); return }
            #expect(item == id && !blocker)
            #expect(revision == s.dashboard.readiness.state.item(id).revision)
            #expect(!Render.frame(st).text.contains("BLOCKER"))
            // The policy's longest waiver is said before the submit, not after.
            #expect(Render.frame(st).text.contains("at most \(s.dashboard.config.policy.waivers.maxDays) days"), "\(Render.frame(st).text)")
            st = UIFixtures.type(st, "flaky CI")
            st = UIFixtures.press(st, .tab, .backspace, .backspace).0
            st = UIFixtures.type(st, "2d")
            let (_, effects) = UIFixtures.press(st, .enter)
            #expect(effects == [.perform(.waive(id: id, reason: "flaky CI", expires: UIFixtures.now.addingTimeInterval(2 * 86_400)),
                                         success: "~ \(id) waived until 2026-12-02 00:00", expecting: SeenState(itemRevision: revision))])
            // A refused submit gives the form back with what was typed.
            let (submitted, _) = UIFixtures.press(st, .enter)
            let refused = Reducer.reduce(submitted, .performed(success: "", error: "the waiver ends after the policy's 30 days")).0
            guard case let .waive(_, _, reason, expires, _, _)? = refused.dialog else { Issue.record("the typed waiver was lost"); return }
            #expect(reason.text == "flaky CI" && expires.text == "2d")
            #expect(refused.message?.text.contains("30 days") == true)
        },
        .signOff: { s in
            var st = UIFixtures.press(s, .char("s")).0
            let seen = s.dashboard.readiness.contourHash(.runtime)
            #expect(st.dialog == .signOff(contour: .runtime, roles: ["captain"], selected: 0, note: TextField(), seen: seen))
            st = UIFixtures.type(st, "ok")
            #expect(UIFixtures.press(st, .enter).1 == [.perform(.signOff(contour: .runtime, role: "captain", note: "ok"), success: "signed off Runtime as alice (captain)",
                                                                expecting: SeenState(contourHash: seen))])
        },
        .runProbe: { s in
            // The sample's items carry no probe: the screen says so instead of running anything.
            let (n, none) = UIFixtures.press(s, .char("r"))
            #expect(none.isEmpty && n.message?.text.contains("has no probe") == true)
            var running = Reducer.reduce(s, .probeStarted("runtime.happy_path", UIFixtures.now)).0
            running = Reducer.reduce(running, .tick(UIFixtures.now.addingTimeInterval(1.5))).0
            #expect(Render.frame(running).text.contains("running the probe of runtime.happy_path · 1.5 s · esc cancels"))
            #expect(UIFixtures.press(running, .escape).1 == [.cancelProbe])
            #expect(Reducer.reduce(running, .probeFinished).0.probe == nil)
            // Read-only: an item with a probe is not run; the screen says why.
            var review = s
            review.readOnly = true
            review.contour = .eval_slo
            let withProbe = review.visibleRows.firstIndex { review.dashboard.config.item($0.id)?.probe != nil }
            review.selection[.eval_slo] = try #require(withProbe)
            let (after, effects) = UIFixtures.press(review, .char("r"))
            #expect(effects.isEmpty && after.message?.text == "read-only cockpit: probes are not run")
        },
        .blockers: { s in
            let b = UIFixtures.press(s, .char("b")).0
            #expect(b.mode == .blockers)
            #expect(b.visibleRows.first?.id == "capabilities.unknown_side_effect_path")
            #expect(b.visibleRows.map(\.severity) == b.visibleRows.map(\.severity).sorted())
            #expect(UIFixtures.press(b, .char("b")).0.mode == .checklist)
        },
        .ownerFilter: { s in
            let b = UIFixtures.press(s, .char("b"), .char("o")).0
            #expect(b.ownerFilter == "capability_owner")
            #expect(b.visibleRows.allSatisfy { $0.owner == "capability_owner" })
            #expect(UIFixtures.press(b, .char("o")).0.ownerFilter == "eval")
        },
        .gate: { s in
            let (g, effects) = UIFixtures.press(s, .char("v"))
            #expect(g.mode == .gate)
            #expect(effects == [.recordVerdict])
            #expect(Render.frame(g).text.contains("require offline_eval_pass"))
        },
        .whatIf: { s in
            let (asking, effects) = UIFixtures.press(s, .char("i"))
            #expect(effects.isEmpty && asking.commandLine?.text == "whatif at ")
            let answered = UIFixtures.press(UIFixtures.type(asking, "3d"), .enter).0
            #expect(answered.mode == .gate && answered.whatIf?.first?.text.hasPrefix("what-if: at ") == true)
        },
        .timeline: { s in
            var t = UIFixtures.press(s, .char("L")).0
            #expect(t.mode == .timeline)
            var events: [Event] = []
            try Store(directory: URL(fileURLWithPath: "/nonexistent")).forEachEvent { events.append($0); return true }
            let store = try UIFixtures.store()
            try store.forEachEvent { events.append($0); return true }
            t = Reducer.reduce(t, .timeline(events)).0
            #expect(Render.frame(t).text.contains("REFUSED signoff ownership --role eval"))
            t = UIFixtures.type(UIFixtures.press(t, .char("/")).0, "refused")
            #expect(t.visibleTimeline.map(\.kind) == [.actionRefused, .sessionEnded])
            let (e, effects) = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char(":")).0, "export md /tmp/x.md"), .enter)
            #expect(effects == [.export(.md, path: "/tmp/x.md")] && e.commandLine == nil)
            #expect(UIFixtures.press(t, .enter, .escape).0.mode == .checklist)
        },
        .filter: { s in
            var f = UIFixtures.press(s, .char("/")).0
            #expect(f.filterEditing)
            f = UIFixtures.type(f, "retrieval")
            #expect(f.visibleRows.map(\.id) == ["runtime.empty_retrieval"])
            f = UIFixtures.press(f, .enter).0
            #expect(!f.filterEditing && f.filter == "retrieval")
            #expect(UIFixtures.press(f, .escape).0.filter == "")
        },
        .commandLine: { s in
            var c = UIFixtures.press(s, .char(":")).0
            #expect(c.commandLine != nil)
            c = UIFixtures.type(c, "fail eval_slo.slo_defined burn alerts missing")
            #expect(UIFixtures.press(c, .enter).1 == [.perform(.setItem(id: "eval_slo.slo_defined", status: .failed, note: "burn alerts missing", evidenceURL: nil), success: "✗ eval_slo.slo_defined failed")])
            let bad = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char(":")).0, "pas x"), .enter).0
            #expect(bad.message?.text.contains("did you mean 'pass'") == true)
        },
        .help: { s in
            let h = UIFixtures.press(s, .char("?")).0
            #expect(h.showHelp)
            // Every binding is on one of the pages, at the smallest size the cockpit supports too.
            for (w, h0) in [(s.width, s.height), (80, 24)] {
                var sized = h
                sized.width = w
                sized.height = h0
                var text = Render.frame(sized).text
                for _ in 0..<4 {
                    sized = UIFixtures.press(sized, .pageDown).0
                    text += Render.frame(sized).text
                }
                for b in Keymap.bindings { #expect(text.contains(String(b.help.prefix(12))), "help at \(w)×\(h0) lacks \(b.help)") }
                #expect(sized.showHelp, "paging does not close the help")
            }
            #expect(!UIFixtures.press(h, .char("x")).0.showHelp)
        },
        .back: { s in
            #expect(UIFixtures.press(s, .enter, .escape).0.mode == .checklist)
            #expect(UIFixtures.press(s, .char("b"), .escape).0.mode == .checklist)
            #expect(UIFixtures.press(s, .char(" "), .escape).0.dialog == nil)
            let half = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char(" ")).0, "abc"), .escape).0
            guard case .confirmDiscard(_, false)? = half.dialog else { Issue.record("expected a discard question"); return }
            #expect(UIFixtures.press(half, .char("n")).0.dialog == .note(kind: .pass, item: "runtime.happy_path", note: TextField("abc"), revision: half.dashboard.readiness.state.item("runtime.happy_path").revision))
            #expect(UIFixtures.press(half, .char("y")).0.dialog == nil)
        },
        .quit: { s in
            #expect(UIFixtures.press(s, .char("q")).1 == [.quit])
            // q inside a form is text; ^C on a half-filled form asks first.
            let typing = UIFixtures.type(UIFixtures.press(s, .char(" ")).0, "q")
            #expect(typing.dialog == .note(kind: .pass, item: "runtime.happy_path", note: TextField("q"), revision: typing.dashboard.readiness.state.item("runtime.happy_path").revision))
            let (asking, none) = UIFixtures.press(typing, .ctrl("c"))
            #expect(none.isEmpty)
            guard case .confirmDiscard(_, true)? = asking.dialog else { Issue.record("expected the quit question"); return }
            #expect(UIFixtures.press(asking, .char("y")).1 == [.quit])
        },
        .cycleTheme: { s in
            let t = UIFixtures.press(s, .char("t")).0
            #expect(t.themeName == "light")
            #expect(UIFixtures.press(s, .char("t"), .char("t"), .char("t"), .char("t"), .char("t")).0.themeName == "dark")
        },
        .canary: { s in
            let (c, _) = UIFixtures.press(s, .char("c"))
            #expect(c.mode == .canary && Render.frame(c).text.contains("Canary · c or esc closes"))
            #expect(Render.frame(c).row(39).contains("S shadow") && !Render.frame(c).row(39).contains("A advance"), "a planned canary offers shadow, not advance")
            #expect(UIFixtures.press(c, .char("c")).0.mode == .checklist && UIFixtures.press(c, .escape).0.mode == .checklist)
        },
        .canaryShadow: { _ in
            let (d, _) = UIFixtures.press(try UIFixtures.canary(ready: true) { _ in }, .char("S"))
            guard case let .canaryConfirm(c)? = d.dialog else { Issue.record("no dialog"); return }
            #expect(c.kind == .shadow && c.lines[0] == "planned → shadow: mirrored traffic, 0% live exposure")
            // Cancel is the default: ⏎ with nothing typed changes nothing.
            let (cancelled, none) = UIFixtures.press(d, .enter)
            #expect(cancelled.dialog == nil && none.isEmpty && cancelled.message?.text.contains("cancelled") == true)
            let (_, effects) = UIFixtures.press(UIFixtures.type(d, "shadow"), .enter)
            #expect(effects.map(\.withoutExpectation) == [.performCanary(.enterShadow, success: "entered shadow")])
            #expect(effects.first?.expectation?.stage != nil, "the confirmation carries the stage it showed")
            #expect(effects.first?.expectation?.stage == "planned")
        },
        .canaryApprove: { _ in
            // Issue 26, finding 5: the approval is stated, step, exposure, cohort and what it binds
            // to, before anything is signed.
            let s = try UIFixtures.canary(as: "bob", ready: true, UIFixtures.inShadow)
            let (d, nothing) = UIFixtures.press(s, .char("a"))
            #expect(nothing.isEmpty, "a key signed before it showed what: \(nothing)")
            guard case let .canaryConfirm(c)? = d.dialog else { Issue.record("no dialog: \(d.message?.text ?? "")"); return }
            #expect(c.title == "Approve the next increase")
            #expect(c.lines[0] == "approve shadow → 1%: 0% → 0.9% of traffic")
            #expect(c.lines[1] == "2 tenants (smallest first): corner-books, pet-pantry")
            let verdict = s.dashboard.verdict
            #expect(c.lines[2] == "binds to: gate READY at seq \(verdict.journalSeq), state \(verdict.stateSha256.prefix(12)), policy \(verdict.policySha256.prefix(12))")
            #expect(c.lines[3].contains("a result, waiver, sign-off or configuration change makes it stale; a note does not"))
            let (_, effects) = UIFixtures.press(UIFixtures.type(d, "approve"), .enter)
            #expect(effects.map(\.withoutExpectation) == [.perform(.canary(.approve(note: "")), success: "approved shadow → 1% as bob, bound to state \(verdict.stateSha256.prefix(12))")])
            #expect(effects.first?.expectation?.verdictState == verdict.stateSha256, "the confirmation carries the state it showed")
        },
        .canaryAdvance: { _ in
            let s = try UIFixtures.canary(ready: true, approvedBy: "bob", UIFixtures.inShadow)
            let (d, _) = UIFixtures.press(s, .char("A"))
            guard case let .canaryConfirm(c)? = d.dialog else { Issue.record("no dialog"); return }
            #expect(c.lines[0] == "exposure shadow → 1%: 0% → 0.9% of traffic")
            #expect(c.lines[1] == "2 tenants (smallest first): corner-books, pet-pantry")
            #expect(c.lines[2] == "hook scripts/set-weight.sh")
            #expect(Render.frame(d).text.contains("[ Cancel ]"))
            let (wrong, none) = UIFixtures.press(UIFixtures.type(d, "5"), .enter)
            #expect(none.isEmpty && wrong.dialog != nil && wrong.message?.text == "type 1% exactly to confirm, or esc to cancel")
            let (_, effects) = UIFixtures.press(UIFixtures.type(d, "1%"), .enter)
            #expect(effects.map(\.withoutExpectation) == [.performCanary(.advance(cohort: nil), success: "advanced to 1%")])
            #expect(effects.first?.expectation?.stage != nil, "the confirmation carries the stage it showed")
            #expect(effects.first?.expectation?.stage == "shadow")
            // What the core would refuse gets no form: the key asks the core at once, for its reason.
            let notReady = UIFixtures.press(try UIFixtures.canary(UIFixtures.inShadow), .char("A"))
            #expect(notReady.0.dialog == nil && notReady.1 == [.explain(.canary(.advance(cohort: nil)))], "asked, not tried")
        },
        .canaryHold: { _ in
            let s = try UIFixtures.canary(as: "dan", UIFixtures.atOnePercent)
            let (d, _) = UIFixtures.press(s, .char("H"))
            #expect(d.dialog == .canaryHold(reason: TextField()))
            let (_, effects) = UIFixtures.press(UIFixtures.type(d, "p99 rising"), .enter)
            #expect(effects == [.perform(.canary(.hold(reason: "p99 rising")), success: "canary held: p99 rising")])
        },
        .canaryResume: { _ in
            let s = try UIFixtures.canary(ready: true) { c in UIFixtures.atOnePercent(&c); c.heldFrom = .canary; c.stage = .held; c.holdReason = "looking" }
            #expect(Render.frame(s).text.contains("⏸ HELD") && Render.frame(s).text.contains("held: looking"))
            // Issue 26, point 6: resume asks why, so the report says why beside the hold.
            let (d, none) = UIFixtures.press(s, .char("R"))
            #expect(none.isEmpty)
            guard case let .canaryConfirm(c)? = d.dialog else { Issue.record("no resume dialog: \(d.message?.text ?? "")"); return }
            #expect(c.kind == .resume && c.reason != nil && c.lines.contains("held: looking"))
            let typed = UIFixtures.type(UIFixtures.press(UIFixtures.type(d, "p99 back to normal"), .tab).0, "resume")
            let (_, effects) = UIFixtures.press(typed, .enter)
            #expect(effects.map(\.withoutExpectation) == [.perform(.canary(.resume(reason: "p99 back to normal")), success: "canary resumed: p99 back to normal")])
        },
        .canaryRollback: { _ in
            let s = try UIFixtures.canary(UIFixtures.atOnePercent)
            var d = UIFixtures.press(s, .char("X")).0
            d = UIFixtures.press(UIFixtures.type(d, "refund errors"), .tab).0
            let (_, effects) = UIFixtures.press(UIFixtures.type(d, "rollback"), .enter)
            #expect(effects.map(\.withoutExpectation) == [.performCanary(.rollback(reason: "refund errors"), success: "rolled back")])
            #expect(effects.first?.expectation?.stage != nil, "the confirmation carries the stage it showed")
        },
        .canaryReconcile: { _ in
            let t = CanaryTransition(id: "c9", action: "advance", from: "1%", to: "5%", stage: .canary, step: 1, exposurePct: 4.8,
                                     cohort: ["a", "b"], hook: "scripts/set-weight.sh", reason: nil)
            let s = try UIFixtures.canary { c in
                UIFixtures.atOnePercent(&c)
                c.pending = t
                c.pendingUnknown = true
                c.lastHook = HookResult(outcome: .unknown, summary: "timed out after 20 s", seconds: 20)
            }
            #expect(Render.frame(s).row(37).contains("⚠ UNKNOWN OUTCOME: 1% → 5%"))
            // What the operator saw on the router is asked first (the journal said only "confirmed in the cockpit").
            let form = UIFixtures.press(s, .char("U")).0
            let (unsaid, nothing) = UIFixtures.press(UIFixtures.press(form, .tab).0, .enter)
            #expect(nothing.isEmpty && unsaid.message?.text.contains("needs what you saw") != true)
            let filled = UIFixtures.type(UIFixtures.press(UIFixtures.type(form, "router weight still 1%"), .tab).0, "not applied")
            let (_, effects) = UIFixtures.press(filled, .enter)
            #expect(effects.map(\.withoutExpectation) == [.perform(.canary(.reconcile(applied: false, note: "router weight still 1%")), success: "reconciled as not applied")])
            #expect(effects.first?.expectation?.stage != nil, "the confirmation carries the stage it showed")
        },
        .canaryComplete: { _ in
            let s = try UIFixtures.canary(ready: true) { c in UIFixtures.atOnePercent(&c); c.step = 1; c.exposurePct = 4.8 }
            let (_, effects) = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char("C")).0, "complete"), .enter)
            #expect(effects.map(\.withoutExpectation) == [.performCanary(.complete, success: "canary completed")])
            #expect(effects.first?.expectation?.stage != nil, "the confirmation carries the stage it showed")
        },
    ]

    @Test(arguments: Action.allCases)
    func binding(_ action: Action) throws {
        let s = try UIFixtures.state()
        let check = try #require(Self.checks[action], "no reducer test for \(action)")
        try check(s)
        #expect(Keymap.bindings.contains { $0.action == action }, "\(action) has no key")
    }

    @Test func refusalsAndResultsShowOnTheMessageLine() throws {
        let s = try UIFixtures.state()
        let refused = Reducer.reduce(s, .performed(success: "x", error: "refused: role 'eval' may not sign off safety")).0
        let text = Render.frame(refused).text
        #expect(text.contains("refused: role 'eval' may not sign off safety"))
        let ok = Reducer.reduce(s, .performed(success: "✓ done", error: nil)).0
        #expect(Render.frame(ok).row(38).contains("✓ done"))
    }

    @Test func quitWaitsForARunningHookUnlessForced() throws {
        var s = try UIFixtures.canary(UIFixtures.inShadow)
        s = Reducer.reduce(s, .transitionStarted("canary advance: running hook scripts/set-weight.sh", UIFixtures.now)).0
        #expect(Render.frame(s).text.contains("canary advance: running hook scripts/set-weight.sh"))
        let (waiting, none) = UIFixtures.press(s, .char("q"))
        #expect(none.isEmpty && waiting.message?.text.contains("a canary transition is running") == true)
        #expect(UIFixtures.press(s, .char("A")).1.isEmpty && UIFixtures.press(s, .char("A")).0.dialog == nil)
        #expect(UIFixtures.press(s, .ctrl("c")).1 == [.quit])
        s = Reducer.reduce(s, .transitionFinished).0
        #expect(UIFixtures.press(s, .char("q")).1 == [.quit])
    }

    @Test func theCommandLineSpeaksCanary() throws {
        let s = try UIFixtures.canary(ready: true, approvedBy: "bob", UIFixtures.atOnePercent)
        let held = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char(":")).0, "canary hold p99 rising"), .enter)
        #expect(held.1 == [.perform(.canary(.hold(reason: "p99 rising")), success: "canary held: p99 rising")])
        let advance = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char(":")).0, "canary advance"), .enter).0
        guard case let .canaryConfirm(c)? = advance.dialog else { Issue.record("no dialog"); return }
        #expect(c.kind == .advance && c.targets == ["5%"])
        let typo = UIFixtures.press(UIFixtures.type(UIFixtures.press(s, .char(":")).0, "canary advanse"), .enter).0
        #expect(typo.message?.text == "unknown canary action 'advanse'; did you mean 'advance'?")
    }

    @Test func theCanaryPanelShowsARefusalInFull() throws {
        let s = try UIFixtures.canary(UIFixtures.inShadow)
        let reason = "refused: exposure shadow → 1% needs approvals from 2 distinct operators holding captain, safety or sre; fresh: alice (requesting); ask bob or carol to run: golive canary approve"
        let text = Render.frame(Reducer.reduce(s, .performed(success: "", error: reason)).0).text
        #expect(text.contains("ask bob or carol to run: golive canary approve"))
    }

    @Test func operatorWithoutASignOffRoleAsksTheCore() throws {
        let s = try UIFixtures.state(as: "dan")
        let (_, effects) = UIFixtures.press(s, .char("l"), .char("s"))
        // The screen does not decide: it asks the core why (nothing is performed or journaled).
        #expect(effects == [.explain(.signOff(contour: .safety, role: "eval", note: ""))])
    }

    @Test func resizeRelayouts() throws {
        let s = try UIFixtures.state()
        let small = Reducer.reduce(s, .resize(width: 80, height: 24)).0
        #expect(Render.frame(small).width == 80)
        #expect(Layout(width: 80, height: 24).kind == .compact)
        #expect(Layout(width: 120, height: 40).kind == .full)
    }
}

@Suite struct ThemeTests {
    @Test func builtInThemesLoadAndCoverEveryRole() throws {
        for name in ThemeLoader.builtInOrder {
            let t = try UIFixtures.theme(name)
            #expect(t.name == name)
            #expect(Set(t.styles.keys) == Set(Role.allCases))
        }
        #expect(!(try UIFixtures.theme("monochrome")).usesColor)
        #expect(try UIFixtures.theme("dark").usesColor)
    }

    @Test func malformedThemeIsLocatedAndSkipped() throws {
        do {
            _ = try ThemeLoader.parse(text: "name: x\nroles:\n  header: {fg: blu}\n", file: "x.yaml")
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line == 3 && e.message.contains("unknown colour 'blu'"))
        }
        let home = TestFolder.make("xdg")
        let dir = home.appendingPathComponent("golive/themes")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "name: broken\nroles:\n  headr: {}\n".write(to: dir.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        try "name: mine\nroles:\n  normal: {fg: 2}\n".write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        let loaded = ThemeLoader.loadAll(environment: ["XDG_CONFIG_HOME": home.path])
        #expect(loaded.themes.map(\.name).contains("mine"))
        #expect(loaded.themes.map(\.name).prefix(5) == ["dark", "light", "high-contrast", "colorblind", "monochrome"])
        #expect(loaded.problems.count == 1)
        #expect(loaded.problems[0].contains("broken.yaml:3:3") && loaded.problems[0].contains("did you mean 'header'"))
    }

    @Test func noColorAndDumbTerminalsGetMonochrome() {
        #expect(ThemeLoader.wantsMonochrome(environment: ["NO_COLOR": "1"], noColorFlag: false))
        #expect(ThemeLoader.wantsMonochrome(environment: ["TERM": "dumb"], noColorFlag: false))
        #expect(ThemeLoader.wantsMonochrome(environment: [:], noColorFlag: true))
        #expect(!ThemeLoader.wantsMonochrome(environment: ["TERM": "xterm-256color"], noColorFlag: false))
    }
}

extension Effect {
    /// The effect without the expectation it carries, to compare the command alone.
    var withoutExpectation: Effect {
        switch self {
        case let .perform(c, success, _): return .perform(c, success: success)
        case let .performCanary(a, success, _): return .performCanary(a, success: success)
        default: return self
        }
    }

    var expectation: SeenState? {
        switch self {
        case let .perform(_, _, e), let .performCanary(_, _, e): return e
        default: return nil
        }
    }
}

/// Cockpit finding 2: when the screen's dry run refused, the reducer sent the real command with
/// placeholder arguments (`rollback(reason: "-")`, `reconcile(applied: true, note: "")` …) to learn
/// the refusal, and traffic moved if the core accepted on fresher state. No single key, in any
/// view or stage, may now send a traffic change or a sign-off to be performed.
@Suite struct NoAskingByDoingTests {
    @Test func noKeyPerformsATrafficChangeOrASignOffWithoutItsForm() throws {
        var states: [UIState] = [try UIFixtures.state()]
        states.append(try UIFixtures.canary { _ in })
        states.append(try UIFixtures.canary(UIFixtures.inShadow))
        states.append(try UIFixtures.canary(ready: true, approvedBy: "bob", UIFixtures.inShadow))
        states.append(try UIFixtures.canary(ready: true, approvedBy: "bob", UIFixtures.atOnePercent))
        states.append(try UIFixtures.canary(as: "erin", UIFixtures.atOnePercent))
        var readOnly = try UIFixtures.canary(ready: true, UIFixtures.atOnePercent)
        readOnly.readOnly = true
        states.append(readOnly)
        var pressed = 0
        for s in states {
            for binding in Keymap.bindings {
                for key in binding.keys {
                    let (_, effects) = UIFixtures.press(s, key)
                    pressed += 1
                    for effect in effects {
                        switch effect {
                        case .performCanary:
                            Issue.record("\(key) in \(s.mode) sent a traffic change without its typed confirmation: \(effect)")
                        case let .perform(.canary(action), _, _):
                            // No canary key acts directly: each states what it does first.
                            Issue.record("\(key) in \(s.mode) performed \(action) without its form")
                        case .perform(.signOff, _, _):
                            Issue.record("\(key) in \(s.mode) performed a sign-off without its form")
                        default: break
                        }
                    }
                }
            }
        }
        #expect(pressed > 100)
    }
}

/// Cockpit finding 5: three clocks. The waive dialog read "1h" from the last reload, a waiver that
/// expired while the cockpit sat idle showed only after someone wrote, and another process's
/// policy edit never showed.
@Suite struct OneClockTests {
    @Test func aWaiverSpanCountsFromTheScreensClockNotTheLastReload() throws {
        var s = try UIFixtures.state()
        s.now = s.dashboard.loadedAt.addingTimeInterval(5 * 3600)  // the screen has run for hours
        s = UIFixtures.press(s, .down, .char("w")).0
        s = UIFixtures.type(s, "runbook review on Monday")
        s = UIFixtures.press(s, .tab).0
        s = UIFixtures.press(s, .ctrl("u")).0
        s = UIFixtures.type(s, "1h")
        let (_, effects) = UIFixtures.press(s, .enter)
        guard case let .perform(.waive(_, _, expires), _, _)? = effects.first else { Issue.record("no waiver: \(effects)"); return }
        #expect(expires == s.now.addingTimeInterval(3600), "1h from \(expires), not from the screen's now \(s.now)")
    }

    /// Issue 26, finding 4: an idle cockpit has no tick, so the key press itself brings the time.
    @Test func aRelativeExpiryCountsFromTheKeyThatSubmitsIt() throws {
        var s = try UIFixtures.state()
        let opened = s.now
        s = UIFixtures.press(s, .down, .char("w")).0
        s = UIFixtures.type(s, "runbook review on Monday")
        s = UIFixtures.press(s, .tab, .ctrl("u")).0
        s = UIFixtures.type(s, "5m")
        // Eight minutes idle: no tick came, only the enter key.
        let pressed = opened.addingTimeInterval(8 * 60 + 13)
        let (after, effects) = Reducer.reduce(s, .key(.enter, at: pressed))
        guard case let .perform(.waive(_, _, expires), _, _)? = effects.first else { Issue.record("refused: \(after.message?.text ?? "") \(effects)"); return }
        #expect(expires == pressed.addingTimeInterval(300), "5m from the key press, not from \(opened)")
        #expect(after.now == pressed)
        // The command line reads the same clock.
        var c = try UIFixtures.state()
        for ch in ":waive runtime.model_failure_safe 1m flaky" { c = Reducer.reduce(c, .key(.char(ch), at: opened)).0 }
        let (_, typed) = Reducer.reduce(c, .key(.enter, at: pressed))
        guard case let .perform(.waive(_, _, lineExpires), _, _)? = typed.first else { Issue.record("no waiver from ':waive': \(typed)"); return }
        #expect(lineExpires == pressed.addingTimeInterval(60))
    }

    /// The sample with a waiver on observability.key_spans that expires a minute after `UIFixtures.now`.
    static func dashboardWithAWaiverExpiringInAMinute() throws -> Dashboard {
        let store = try UIFixtures.store()
        let t0 = UIFixtures.now
        try Cockpit(store: store, clock: .fixed(t0)).perform(.waive(id: "observability.key_spans", reason: "rc4", expires: t0.addingTimeInterval(60)),
                                                             as: Actor(operatorID: "alice", osUser: "t", session: "s"))
        return Dashboard(readiness: try Cockpit(store: store, clock: .fixed(t0)).readiness(), operatorID: "alice")
    }

    @Test func aWaiverThatExpiresWhileIdleShowsOnTheNextTick() throws {
        let t0 = UIFixtures.now
        var d = try Self.dashboardWithAWaiverExpiringInAMinute()
        let row = { (d: Dashboard) in d.rows[.observability]?.first { $0.id == "observability.key_spans" } }
        #expect(row(d)?.standing == .satisfied)
        #expect(d.nextTimeChange == t0.addingTimeInterval(60))
        d.advanceClock(to: t0.addingTimeInterval(30))
        #expect(row(d)?.standing == .satisfied)
        d.advanceClock(to: t0.addingTimeInterval(61))
        #expect(row(d)?.standing == .open, "the expired waiver still counted")
        #expect(d.verdict.evaluatedAt == t0.addingTimeInterval(61), "the gate and the rows are judged at the same moment")
    }

    /// The loop sends the clock at the waiver's expiry even when nothing on screen counts down (no
    /// live canary, no release calendar): it sent it only once a second while something did, so an
    /// idle cockpit kept showing an expired waiver, and the gate it held up, until a key was pressed.
    @Test func anIdleCockpitIsSentTheClockWhenAWaiverExpires() throws {
        let t0 = UIFixtures.now
        let d = try Self.dashboardWithAWaiverExpiringInAMinute()
        #expect(!d.movesWithClock, "the fixture counts nothing down: only the expiry can ask for the clock")
        #expect(!d.wantsTick(at: t0.addingTimeInterval(30), lastTick: t0))
        #expect(d.wantsTick(at: t0.addingTimeInterval(60), lastTick: t0.addingTimeInterval(59.5)))
    }

    @Test func anEditOfThePolicyChangesTheStoresFingerprint() throws {
        let store = try UIFixtures.store()
        let files = try store.loadConfig().files.map(\.path)
        let before = store.fingerprint(also: files)
        let policy = store.directory.appendingPathComponent("policy.yaml")
        try (try String(contentsOf: policy, encoding: .utf8) + "\n# edited\n").write(to: policy, atomically: true, encoding: .utf8)
        #expect(store.fingerprint(also: files) != before)
    }
}

/// Issue 26, point 6: `/` filtered one contour at a time; a search from the runtime pane for a
/// trace item found nothing.
@Suite struct FilterAcrossContoursTests {
    @Test func theFilterSearchesEveryContourAndFollowsTheMatches() throws {
        var s = try UIFixtures.state()
        #expect(s.contour == .runtime)
        s = UIFixtures.press(s, .char("/")).0
        s = UIFixtures.type(s, "trace_id")
        #expect(s.contour == .observability, "the screen follows the matches")
        #expect(s.visibleRows.map(\.id) == ["observability.trace_id"])
        let line = Render.frame(s).text
        #expect(line.contains("matches: Observability 1"), "\(line)")
        s = UIFixtures.press(s, .enter).0
        #expect(Render.frame(s).text.contains("filter: trace_id — matches: Observability 1"))
    }
}

/// Issue 26, point 6: timeline rows could not be opened.
@Suite struct TimelineOpenTests {
    @Test func aTimelineRowOpensItsItemOrItsWholeRecord() throws {
        let store = try UIFixtures.store()
        var s = UIState(width: 120, height: 40, dashboard: try UIFixtures.dashboard(store))
        s.now = UIFixtures.now
        s = UIFixtures.press(s, .char("L")).0
        let events = try store.recentEvents(limit: 500)
        s = Reducer.reduce(s, .timeline(events)).0
        #expect(s.mode == .timeline)
        let newestFirst = Array(events.reversed())
        let itemAt = try #require(newestFirst.firstIndex { $0.kind == .itemSet })
        for _ in 0..<itemAt { s = UIFixtures.press(s, .down).0 }
        #expect(Render.frame(s).text.contains("│›#\(newestFirst[itemAt].seq) "), "the cursor shows on the row")
        let opened = UIFixtures.press(s, .enter).0
        #expect(opened.mode == .detail && opened.selectedRow?.id == newestFirst[itemAt].data.item, "\(opened.mode) \(String(describing: opened.selectedRow?.id))")
        #expect(UIFixtures.press(opened, .escape).0.mode == .timeline, "back returns to the timeline")
        // A record about no item opens whole on the message line.
        let other = try #require(newestFirst.firstIndex { $0.data.item == nil })
        var t = s
        t.timelineCursor = other
        let shown = UIFixtures.press(t, .enter).0
        #expect(shown.mode == .timeline && shown.message?.text.hasPrefix("#\(newestFirst[other].seq) ") == true, "\(shown.message?.text ?? "nothing shown")")
    }
}

/// Issue 26, point 6: the blockers view's owner filter took roles only.
@Suite struct OwnerFilterByPersonTests {
    @Test func theOwnerFilterCyclesRolesThenPeople() throws {
        var s = try UIFixtures.state()
        s = UIFixtures.press(s, .char("b")).0
        var seen: [String] = []
        for _ in 0..<20 {
            s = UIFixtures.press(s, .char("o")).0
            guard let owner = s.ownerFilter else { break }
            seen.append(owner)
            if let member = s.dashboard.config.member(owner) {
                #expect(!s.visibleRows.isEmpty && s.visibleRows.allSatisfy { member.roles.contains($0.owner) }, "\(owner): \(s.visibleRows.map(\.owner))")
            }
        }
        #expect(seen.contains { s.dashboard.config.member($0) != nil }, "no person in the cycle: \(seen)")
    }
}

@Suite struct AskAgainTests {
    /// The cockpit asks again because the core's refusal says what the person saw is gone (its
    /// code), not because of its words: the same words without the code ask nothing.
    @Test func aConfirmationIsAskedAgainByTheRefusalsCodeNotItsWords() throws {
        var s = try UIFixtures.state()
        s.reask = .advance
        let words = "changed since you looked: the canary is at 1% now. Nothing was done; look again and confirm what is there now"
        let coded = Reducer.reduce(s, .performed(success: "", failure: Failure(words, code: .changedSinceYouLooked))).0
        #expect(coded.reaskPending && coded.reask == .advance)
        let plain = Reducer.reduce(s, .performed(success: "", error: words)).0
        #expect(!plain.reaskPending && plain.reask == nil)
    }
}
