import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// The cockpit shows whether exposure may increase now, and the countdown to the next change.
@Suite struct ReleaseWindowViewTests {
    static func berlinOffice(_ config: inout RolloutConfig) {
        config.policy.calendar.windows = [ReleaseWindow(name: "berlin-office", zone: TimeZone(identifier: "Europe/Berlin")!,
                                                        days: [2, 3, 4, 5], from: 9 * 60, until: 16 * 60)]
    }

    @Test func theHeaderCountsDownToTheNextWindowAndThePanelNamesItInItsZone() throws {
        // UIFixtures.now is Monday 30 Nov 2026 00:00 UTC: 01:00 in Berlin, eight hours before the window.
        let s = try UIFixtures.canary(ready: true, config: Self.berlinOffice) { UIFixtures.inShadow(&$0) }
        let screen = Render.frame(s).text
        #expect(screen.contains("│ window closed, opens in 8 h"), "\(screen)")
        #expect(screen.contains("window: closed · next allowed: Mon 30 Nov 2026 09:00 Europe/Berlin"), "\(screen)")
        // Inside the window, the countdown is to its close.
        let inside = try UIFixtures.canary(ready: true, config: Self.berlinOffice) { UIFixtures.inShadow(&$0) }
        let d = Dashboard(readiness: Readiness(config: inside.dashboard.readiness.config, state: inside.dashboard.readiness.state,
                                               now: UIFixtures.now.addingTimeInterval(10 * 3600)), operatorID: "alice")
        var later = inside
        later.dashboard = d
        #expect(Render.frame(later).text.contains("│ window open, closes in 5 h"), "\(Render.frame(later).text)")
    }

    /// A planned canary has no timers of its own, but the window's countdown must not go stale.
    @Test func theCountdownMovesWithTheClockBeforeTheCanaryStarts() throws {
        var s = try UIFixtures.canary(ready: true, config: Self.berlinOffice) { _ in }
        #expect(Render.frame(s).text.contains("│ window closed, opens in 8 h"))
        s = Reducer.reduce(s, .tick(UIFixtures.now.addingTimeInterval(2 * 3600))).0
        #expect(Render.frame(s).text.contains("│ window closed, opens in 6 h"), "\(Render.frame(s).text.prefix(200))")
    }

    @Test func aBreakGlassStepIsMarkedInTheHeaderAndThePanel() throws {
        let s = try UIFixtures.canary(ready: true, config: Self.berlinOffice) { c in
            UIFixtures.atOnePercent(&c)
            c.breakGlass = "sev1: refunds double-charge"
        }
        let screen = Render.frame(s).text
        #expect(screen.contains("cap 5% BREAK-GLASS"), "\(screen)")
        #expect(screen.contains("BREAK-GLASS: this step was taken outside the release calendar: sev1: refunds double-charge"))
    }

    @Test func aPolicyWithoutACalendarShowsNoWindow() throws {
        let s = try UIFixtures.canary(ready: true) { UIFixtures.inShadow(&$0) }
        #expect(!Render.frame(s).text.contains("window"))
    }
}
