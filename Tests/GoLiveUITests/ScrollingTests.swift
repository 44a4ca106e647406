import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// Finding 6: what does not fit scrolls and says how much is left, at the smallest supported size.
@Suite struct ScrollingTests {
    static func withEvidence(_ count: Int) throws -> UIState {
        var s = try UIFixtures.state(width: 80, height: 24)
        let id = try #require(s.selectedRow?.id)
        let r = s.dashboard.readiness
        var state = r.state
        for i in 1...count {
            state.items[id, default: ItemState()].evidence.append(Evidence(kind: "note", text: "entry number \(i) of the long list"))
        }
        s.dashboard = Dashboard(readiness: Readiness(config: r.config, state: state, now: r.now), operatorID: "alice")
        return s
    }

    @Test func theItemViewScrollsAndSaysHowMuchIsLeft() throws {
        let s = UIFixtures.press(try Self.withEvidence(40), .enter).0
        let top = Render.frame(s).text
        #expect(top.contains("entry number 40 of"), "the newest entry comes first")
        let more = try #require(top.split(separator: "\n").first { $0.contains("more · pgup/pgdn scroll") })
        #expect(more.contains("↓"))
        // Paging on reaches the oldest entry, and says what lies above.
        var down = s
        for _ in 0..<20 { down = UIFixtures.press(down, .pageDown).0 }
        let bottom = Render.frame(down).text
        #expect(bottom.contains("entry number 1 of"))
        #expect(bottom.contains("above"))
        #expect(!bottom.contains("more ·"))
        // Pressed past the end, one page up is one page up, not twenty owed back.
        let back = UIFixtures.press(down, .pageUp).0
        #expect(back.scroll < down.scroll && back.scroll > 0)
        let backText = Render.frame(back).text
        #expect(backText != bottom && backText.contains("more · pgup/pgdn scroll"), "one page up shows the page above")
        // Another item starts at its top.
        #expect(UIFixtures.press(down, .down).0.scroll == 0)
    }

    @Test func besideTheListTheItemPaneSaysEnterShowsAll() throws {
        let text = Render.frame(try Self.withEvidence(40)).text
        #expect(text.contains("more · ⏎ shows all"))
    }

    @Test func theGateViewWrapsItsFindingsAndScrolls() throws {
        var s = UIFixtures.press(try UIFixtures.state(width: 80, height: 24), .char("v")).0
        let first = Render.frame(s).text
        #expect(first.contains("more · ↑↓ pgup/pgdn scroll"))
        #expect(!first.contains("…"), "a finding is wrapped, never cut")
        var seen = first
        for _ in 0..<40 {
            s = UIFixtures.press(s, .down).0
            seen += Render.frame(s).text
        }
        // Every line of the verdict was on the screen at some point.
        for (line, _) in GateReport.lines(s.dashboard.verdict, rollout: "\(s.dashboard.config.name) \(s.dashboard.config.version)") where !line.isEmpty {
            let head = line.trimmingCharacters(in: .whitespaces).split(separator: " ").prefix(3).joined(separator: " ")
            #expect(seen.contains(head), "never shown: \(line)")
        }
    }

    @Test func aLongTenantListScrollsInsideTheAdvanceDialogAndTheFieldsStay() throws {
        let ready = try UIFixtures.canary(width: 80, height: 24, ready: true, approvedBy: "bob", config: { c in
            c.tenants += (1...80).map { Tenant(id: "tenant-number-\($0)", name: "T\($0)", sharePct: 0.04, excluded: false, note: "") }
        }, UIFixtures.atOnePercent)
        let dialog = UIFixtures.press(ready, .char("A")).0
        let text = Render.frame(dialog).text
        #expect(text.contains("confirm"), "the confirmation field is on screen")
        #expect(text.contains("more · pgup/pgdn scroll"))
        var s = dialog
        for _ in 0..<30 { s = UIFixtures.press(s, .pageDown).0 }
        #expect(Render.frame(s).text.contains("approvals"), "the last line of the change is reachable")
        #expect(Render.frame(s).text.contains("above"))
    }
}
