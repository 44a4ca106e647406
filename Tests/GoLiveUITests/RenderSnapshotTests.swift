import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

@Suite struct RenderSnapshotTests {
    static let sizes: [(Int, Int)] = [(120, 40), (80, 24), (60, 20)]

    func views(_ base: UIState) -> [(String, UIState)] {
        var detail = base
        detail.contour = .eval_slo
        detail.selection[.eval_slo] = 1
        detail = UIFixtures.press(detail, .enter).0
        let blockers = UIFixtures.press(base, .char("b")).0
        let help = UIFixtures.press(base, .char("?")).0
        let signOff = UIFixtures.type(UIFixtures.press(base, .char("s")).0, "reviewed")
        return [("dashboard", base), ("detail", detail), ("blockers", blockers), ("help", help), ("signoff", signOff)]
    }

    @Test func everyViewAtEverySizeInDarkAndMonochrome() throws {
        let dark = try UIFixtures.theme("dark")
        let mono = try UIFixtures.theme("monochrome")
        for (w, h) in Self.sizes {
            let base = try UIFixtures.state(width: w, height: h)
            for (name, state) in views(base) {
                let screen = Render.frame(state)
                Snapshot.check("\(name)-\(w)x\(h)", screen.text)
                if w == 120 || name == "dashboard" {
                    Snapshot.check("\(name)-\(w)x\(h)-dark-styles", screen.styleMap(dark))
                    Snapshot.check("\(name)-\(w)x\(h)-monochrome-styles", screen.styleMap(mono))
                }
            }
        }
    }

    @Test func canaryPanelAndItsAdvanceDialogAtBothLayouts() throws {
        for (w, h) in [(120, 40), (80, 24), (60, 20)] {
            let panel = try UIFixtures.canary(width: w, height: h) { c in
                UIFixtures.atOnePercent(&c)
                c.approvals = [CanaryApproval(by: "bob", role: "safety", from: "1%", to: "5%", stateSha256: "stale", policySha256: "x",
                                              at: UIFixtures.now, seq: 1, note: "")]
            }
            Snapshot.check("canary-\(w)x\(h)", Render.frame(panel).text)
            let ready = try UIFixtures.canary(width: w, height: h, ready: true, approvedBy: "bob", UIFixtures.atOnePercent)
            let dialog = UIFixtures.type(UIFixtures.press(ready, .char("A")).0, "5")
            Snapshot.check("canary-advance-\(w)x\(h)", Render.frame(dialog).text)
        }
    }

    @Test func fullLayoutShowsAllSevenPanesAndCompactFoldsThemIntoTabs() throws {
        let full = Render.frame(try UIFixtures.state(width: 120, height: 40)).text
        for c in Contour.allCases { #expect(full.contains(c.title), "missing pane \(c.title)") }
        #expect(full.contains("gate: ✗ NOT READY (4)"))
        #expect(full.contains("alice (captain)"))
        let compact = Render.frame(try UIFixtures.state(width: 80, height: 24))
        #expect(compact.row(1).contains("Run 6/6✓ │ Safe 6/6✓ │ Cap 4/7✗"))
        #expect(compact.text.contains("alice (captain)"))
        let small = Render.frame(try UIFixtures.state(width: 59, height: 30)).text
        #expect(small.contains("GoLive needs at least 60×20"))
        #expect(small.contains("this terminal is 59×30"))
    }

    @Test func statusIsGlyphAndWordNeverColourAlone() throws {
        var s = try UIFixtures.state()
        s.contour = .eval_slo
        let text = Render.frame(s).text
        #expect(text.contains("✗ failed"))
        #expect(text.contains("○ open"))
        #expect(text.contains("✓ passed"))
    }

    @Test func escapeSequencesInANoteAreShownAsTextAndTheScreenStaysIntact() throws {
        let store = try UIFixtures.store()
        try Cockpit(store: store).perform(.setItem(id: "runtime.happy_path", status: .passed, note: "ok \u{1b}[2J\u{1b}]0;pwned\u{07} done", evidenceURL: nil),
                                          as: Actor(operatorID: "dan", osUser: "t", session: "s"))
        let s = UIState(width: 120, height: 40, dashboard: try UIFixtures.dashboard(store))
        let screen = Render.frame(s)
        #expect(screen.text.contains("\\e[2J\\e]0;pwned\\u{7} done"))
        for cell in screen.cells {
            #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "control character in a cell")
        }
        // The detail pane's right border is still in its column on every row.
        let borderColumn = Layout(width: 120, height: 40).split(blockers: false).detail!.maxX - 1
        for y in 7..<36 { #expect(screen[borderColumn, y].text == "│", "border broken on row \(y)") }
    }

    @Test func wideCharactersAreMeasuredByColumns() throws {
        var screen = Screen(width: 12, height: 3)
        screen.box(Rect(x: 0, y: 0, width: 12, height: 3))
        screen.put(1, 1, "漢字🚀é́abcdef", .normal, maxWidth: 10)
        #expect(screen.row(1).hasSuffix("│"))
        #expect(screen[1, 1].text == "漢" && screen[2, 1].text == "")
        #expect(screen[5, 1].text == "🚀" && screen[6, 1].text == "")
        #expect(Columns.width("漢字🚀") == 6)
        #expect(Columns.width("é́") == 1)
        #expect(screen[10, 1].text == "…")
    }
}

/// Cockpit finding 6: refusals were cut at the screen edge right where they say what to do, and
/// the 80×24 footer dropped help, gate, canary and quit.
@Suite struct ReadableTextTests {
    @Test func aRefusalLongerThanTheScreenIsReadInFull() throws {
        var s = try UIFixtures.state(width: 80, height: 24)
        let refusal = "refused: exposure shadow → 1% needs approvals from 2 distinct operators holding captain, safety or sre; fresh: alice (requesting); stale (the state changed since): carol; ask bob or carol to approve (a in the canary panel)"
        s.message = Message(text: refusal, kind: .error)
        let text = Render.frame(s).text
        #expect(text.contains("ask bob or carol to approve"), "\(text)")
        #expect(text.contains("(a in the canary panel)"))
    }

    @Test func theSmallFooterKeepsHelpGateCanaryAndQuit() throws {
        for (w, h) in [(80, 24), (100, 30), (60, 20)] {
            let base = try UIFixtures.state(width: w, height: h)
            // In the checklist, the blockers view and the canary panel alike.
            for s in [base, UIFixtures.press(base, .char("b")).0, UIFixtures.press(base, .char("c")).0] {
                let footer = Render.frame(s).text.split(separator: "\n").last.map(String.init) ?? ""
                for hint in ["? help", "v gate", "c canary", "q quit"] { #expect(footer.contains(hint), "\(w)×\(h) \(s.mode): \(footer)") }
            }
        }
    }

    /// A review cockpit hides the keys that write (as k9s does in read-only mode) and keeps the rest.
    @Test func readOnlyHidesWriteKeys() throws {
        var s = try UIFixtures.state(width: 120, height: 40)
        s.readOnly = true
        let footer = Render.frame(s).row(39)
        #expect(!footer.contains("pass") && !footer.contains("waive") && footer.contains("v gate") && footer.contains("q quit"), "\(footer)")
        let canaryFooter = Render.frame(UIFixtures.press(s, .char("c")).0).row(39)
        #expect(!canaryFooter.contains("advance") && !canaryFooter.contains("approve") && canaryFooter.contains("c canary"), "\(canaryFooter)")
        let help = Render.frame(UIFixtures.press(s, .char("?")).0).text
        #expect(!help.contains("mark passed") && help.contains("the gate verdict"))
    }

    /// Issue 26, point 6: at the last step the footer offered `S` and `a`, which do nothing there,
    /// and not `C`. The canary keys shown are the ones that apply to the canary as it stands.
    @Test func theCanaryFooterOffersTheKeysThatApplyNow() throws {
        func footer(_ s: UIState) -> String { Render.frame(s).row(s.height - 1) }
        let planned = try UIFixtures.canary(width: 120, height: 40) { _ in }
        #expect(footer(planned).contains("S shadow") && !footer(planned).contains("approve") && !footer(planned).contains("complete"), "\(footer(planned))")
        let last = try UIFixtures.canary(width: 120, height: 40) { c in
            UIFixtures.atOnePercent(&c)
            c.step = 1
            c.exposurePct = 4.8
        }
        let f = footer(last)
        #expect(f.contains("C complete") && f.contains("H hold") && f.contains("X rollback"), "\(f)")
        #expect(!f.contains("S shadow") && !f.contains("a approve") && !f.contains("A advance") && !f.contains("R resume"), "\(f)")
        let held = try UIFixtures.canary(width: 120, height: 40) { c in UIFixtures.atOnePercent(&c); c.heldFrom = .canary; c.stage = .held }
        #expect(footer(held).contains("R resume") && !footer(held).contains("H hold"), "\(footer(held))")
        // The complete dialog says what happens to traffic next.
        var done = try UIFixtures.canary(width: 120, height: 40, ready: true) { c in
            UIFixtures.atOnePercent(&c)
            c.step = 1
            c.exposurePct = 4.8
        }
        done = UIFixtures.press(done, .char("C")).0
        guard case let .canaryConfirm(c)? = done.dialog else { Issue.record("no complete dialog: \(done.message?.text ?? "")"); return }
        #expect(c.lines.contains { $0.contains("traffic stays at 4.8%") && $0.contains("GoLive moves no more traffic") }, "\(c.lines)")
    }

    @Test func everyContourStaysOnTheNarrowStrip() throws {
        let strip = Render.frame(try UIFixtures.state(width: 60, height: 20)).row(1)
        for short in ["Run", "Safe", "Cap", "Obs", "Eval", "Ops", "Own"] { #expect(strip.contains(short), "\(strip)") }
    }
}
