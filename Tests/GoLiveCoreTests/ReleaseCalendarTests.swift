import Foundation
import Testing
@testable import GoLiveCore

/// Release windows, freezes and break-glass, with real time zones across daylight-saving changes.
@Suite struct ReleaseCalendarTests {
    static let calendarYAML = """
      windows:
        - name: new-york-office
          zone: America/New_York
          days: [mon, tue, wed, thu, fri]
          from: "09:00"
          until: "17:00"
        - name: berlin-office
          zone: Europe/Berlin
          days: [mon, tue, wed, thu]
          from: "09:00"
          until: "16:00"
      freezes:
        - name: year-end
          zone: Europe/Berlin
          from: 2026-12-19
          until: 2027-01-04
          reason: retail peak; no exposure increases
      break_glass:
        roles: [captain]
        extra_approvals: 1

    """

    static func policy(_ extra: String = calendarYAML) throws -> Policy {
        try PolicyParser.parse(text: Policy.sectionNineYAML + extra, file: "policy.yaml", knownItems: Set(DefaultCatalog.items.map(\.id)))
    }

    static func utc(_ text: String) -> Date { Timestamp.parse(text)! }

    static let newYork = TimeZone(identifier: "America/New_York")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func windowsFollowDaylightSavingInBothZones() throws {
        let cal = try Self.policy().calendar
        let ny = try #require(cal.windows.first { $0.name == "new-york-office" })
        let de = try #require(cal.windows.first { $0.name == "berlin-office" })
        // New York: EST (UTC−5) until Sun 8 Mar 2026, EDT (UTC−4) until Sun 1 Nov 2026.
        #expect(!ny.contains(Self.utc("2026-03-06T13:59:00Z")) && ny.contains(Self.utc("2026-03-06T14:00:00Z")))   // Fri, EST
        #expect(!ny.contains(Self.utc("2026-03-09T12:59:00Z")) && ny.contains(Self.utc("2026-03-09T13:00:00Z")))   // Mon, EDT
        #expect(ny.contains(Self.utc("2026-10-30T20:59:00Z")) && !ny.contains(Self.utc("2026-10-30T21:00:00Z")))   // Fri, EDT close
        #expect(ny.contains(Self.utc("2026-11-02T21:59:00Z")) && !ny.contains(Self.utc("2026-11-02T22:00:00Z")))   // Mon, EST close
        // Berlin: CET (UTC+1) until Sun 29 Mar 2026, CEST (UTC+2) until Sun 25 Oct 2026.
        #expect(!de.contains(Self.utc("2026-03-23T07:59:00Z")) && de.contains(Self.utc("2026-03-23T08:00:00Z")))   // Mon, CET
        #expect(!de.contains(Self.utc("2026-03-30T06:59:00Z")) && de.contains(Self.utc("2026-03-30T07:00:00Z")))   // Mon, CEST
        #expect(de.contains(Self.utc("2026-10-22T13:59:00Z")) && !de.contains(Self.utc("2026-10-22T14:00:00Z")))   // Thu, CEST close
        #expect(de.contains(Self.utc("2026-10-26T14:59:00Z")) && !de.contains(Self.utc("2026-10-26T15:00:00Z")))   // Mon, CET close
        // Friday is not a Berlin day.
        #expect(!de.contains(Self.utc("2026-03-27T10:00:00Z")))
    }

    @Test func theNextAllowedTimeIsFoundAcrossAChangeOfOffset() throws {
        var cal = try Self.policy().calendar
        cal.windows.removeAll { $0.name == "berlin-office" }
        // Saturday before the US spring change: Monday opens at 09:00 EDT, which is 13:00 UTC, not 14:00.
        #expect(cal.nextAllowed(after: Self.utc("2026-03-07T12:00:00Z")) == Self.utc("2026-03-09T13:00:00Z"))
        // Saturday before the US autumn change: Monday opens at 09:00 EST, 14:00 UTC.
        #expect(cal.nextAllowed(after: Self.utc("2026-10-31T12:00:00Z")) == Self.utc("2026-11-02T14:00:00Z"))
        var berlin = try Self.policy().calendar
        berlin.windows.removeAll { $0.name == "new-york-office" }
        #expect(berlin.nextAllowed(after: Self.utc("2026-03-27T12:00:00Z")) == Self.utc("2026-03-30T07:00:00Z"))
        #expect(berlin.nextAllowed(after: Self.utc("2026-10-23T12:00:00Z")) == Self.utc("2026-10-26T08:00:00Z"))
        // Inside a window, now is allowed; the countdown names when it closes.
        #expect(berlin.nextAllowed(after: Self.utc("2026-10-26T09:00:00Z")) == Self.utc("2026-10-26T09:00:00Z"))
        #expect(berlin.nextChange(after: Self.utc("2026-10-26T09:00:00Z")) == Self.utc("2026-10-26T15:00:00Z"))
    }

    @Test func aFreezeOverridesTheWindowsAndEndsAfterItsLastDay() throws {
        let cal = try Self.policy().calendar
        let monday = Self.utc("2026-12-21T10:00:00Z")   // Berlin 11:00, inside the office window
        guard case let .frozen(f) = cal.standing(at: monday) else { Issue.record("expected frozen"); return }
        #expect(f.name == "year-end")
        // until: 2027-01-04 is inclusive: Monday 4 Jan is frozen, Tuesday 5 Jan at 09:00 Berlin opens.
        #expect(!cal.standing(at: Self.utc("2027-01-04T10:00:00Z")).allowsIncrease)
        #expect(cal.nextAllowed(after: monday) == Self.utc("2027-01-05T08:00:00Z"))
    }

    @Test func theNextWindowIsShownInTheWindowsZoneAndTheOperators() throws {
        var cal = try Self.policy().calendar
        cal.windows.removeAll { $0.name == "new-york-office" }
        let text = try #require(cal.refusal(at: Self.utc("2026-03-27T12:00:00Z"), local: Self.newYork))
        #expect(text.contains("outside every release window (berlin-office: mon tue wed thu 09:00–16:00 Europe/Berlin)"), "\(text)")
        #expect(text.contains("next allowed: Mon 30 Mar 2026 09:00 Europe/Berlin (Mon 30 Mar 2026 03:00 America/New_York your time)"), "\(text)")
        #expect(text.contains("in 2 d 19 h"), "\(text)")
        var ny = try Self.policy().calendar
        ny.windows.removeAll { $0.name == "berlin-office" }
        let other = try #require(ny.refusal(at: Self.utc("2026-03-07T12:00:00Z"), local: Self.berlin))
        #expect(other.contains("next allowed: Mon 9 Mar 2026 09:00 America/New_York (Mon 9 Mar 2026 14:00 Europe/Berlin your time)"), "\(other)")
    }

    /// The canary at shadow with its minimum served, approvals in place, at `now`.
    static func simAtShadow(now: Date, calendar: String = calendarYAML) throws -> CanarySim {
        var sim = try CanarySim()
        sim.config.policy.calendar = try policy(calendar).calendar
        sim.now = utc("2026-03-02T10:00:00Z")   // a Monday inside both windows
        sim.reach("shadow")
        sim.now = now
        return sim
    }

    @Test func anAdvanceOneMinuteBeforeTheWindowIsRefusedAndOneMinuteAfterItOpensGoes() throws {
        let berlinOnly = Self.calendarYAML.replacingOccurrences(of: """
            - name: new-york-office
              zone: America/New_York
              days: [mon, tue, wed, thu, fri]
              from: "09:00"
              until: "17:00"

        """, with: "")
        // Tuesday 31 Mar 2026, CEST: the window opens at 07:00 UTC.
        var before = try Self.simAtShadow(now: Self.utc("2026-03-31T06:59:00Z"), calendar: berlinOnly)
        before.act(.approve(note: ""), by: "bob")
        let refused = try #require(before.act(.advance(cohort: nil), by: "alice").refusal)
        #expect(refused.contains("exposure may not increase now: it is outside every release window"), "\(refused)")
        #expect(refused.contains("next allowed: Tue 31 Mar 2026 09:00 Europe/Berlin"), "\(refused)")
        #expect(refused.contains("in 1 min"), "\(refused)")
        #expect(before.canary.stage == .shadow)

        var after = try Self.simAtShadow(now: Self.utc("2026-03-31T07:01:00Z"), calendar: berlinOnly)
        after.act(.approve(note: ""), by: "bob")
        #expect(after.act(.advance(cohort: nil), by: "alice").refusal == nil)
        #expect(after.canary.stage == .canary && after.canary.exposurePct > 0)

        // One minute before and after the close (16:00 Berlin = 14:00 UTC).
        var late = try Self.simAtShadow(now: Self.utc("2026-03-31T14:01:00Z"), calendar: berlinOnly)
        late.act(.approve(note: ""), by: "bob")
        #expect(late.act(.advance(cohort: nil), by: "alice").refusal?.contains("next allowed: Wed 1 Apr 2026 09:00 Europe/Berlin") == true)
        var lastMinute = try Self.simAtShadow(now: Self.utc("2026-03-31T13:59:00Z"), calendar: berlinOnly)
        lastMinute.act(.approve(note: ""), by: "bob")
        #expect(lastMinute.act(.advance(cohort: nil), by: "alice").refusal == nil)
    }

    @Test func aFreezeRefusesAnAdvanceAndNeverAHoldOrARollback() throws {
        var sim = try Self.simAtShadow(now: Self.utc("2026-12-21T10:00:00Z"))
        sim.act(.approve(note: ""), by: "bob")
        let refused = try #require(sim.act(.advance(cohort: nil), by: "alice").refusal)
        #expect(refused.contains("the freeze 'year-end' holds"), "\(refused)")
        #expect(refused.contains("retail peak"), "\(refused)")
        #expect(refused.contains("Holds and rollbacks are never blocked"), "\(refused)")
        #expect(sim.act(.hold(reason: "checking"), by: "dan").refusal == nil)
        #expect(sim.act(.resume(reason: "p99 back to normal"), by: "alice").refusal == nil)
        #expect(sim.act(.rollback(reason: "peak traffic"), by: "carol").refusal == nil)
        #expect(sim.canary.stage == .rolledBack)
    }

    @Test func breakGlassTakesItsRoleAReasonAndItsOwnExtraApprovals() throws {
        var sim = try Self.simAtShadow(now: Self.utc("2026-12-21T10:00:00Z"))
        // Ordinary approvals do not count toward a break-glass advance: three people, yet refused.
        sim.act(.approve(note: "looks fine"), by: "bob")
        sim.act(.approve(note: "looks fine"), by: "carol")
        // Not a break-glass role.
        let notRole = try #require(sim.act(.advance(cohort: nil, breakGlass: "sev1 fix"), by: "carol").refusal)
        #expect(notRole.contains("carol (sre) may not break the glass; the policy lets captain (break_glass.roles)"), "\(notRole)")
        let shortAnswer = sim.act(.advance(cohort: nil, breakGlass: "sev1 fix"), by: "alice")
        let short = try #require(shortAnswer.refusal)
        #expect(short.contains("needs approvals from 3 distinct operators"), "\(short)")
        #expect(short.contains("fresh: alice (requesting)"), "bob's and carol's ordinary approvals are not break-glass ones: \(short)")
        #expect(short.contains("marked break-glass"), "\(short)")
        #expect(shortAnswer.remedies.contains(.askForApproval(approvers: ["bob", "carol"], breakGlass: true)), "\(shortAnswer.remedies)")
        #expect(sim.canary.stage == .shadow)
        sim.act(.approve(note: "sev1", breakGlass: true), by: "bob")
        sim.act(.approve(note: "sev1", breakGlass: true), by: "carol")
        let from = sim.log.count
        #expect(sim.act(.advance(cohort: nil, breakGlass: "sev1 refund bug fix must reach tenants"), by: "alice").refusal == nil)
        let alerts = AlertDetector.raised(by: Array(sim.log[from...]), before: nil, after: sim.readiness, who: "alice")
        #expect(alerts.map(\.kind) == [.breakGlass] && alerts[0].reason.contains("sev1 refund bug fix"))
        #expect(sim.canary.stage == .canary)
        #expect(sim.canary.breakGlass == "sev1 refund bug fix must reach tenants")
        let started = try #require(sim.log.last { $0.kind == .canaryTransitionStarted })
        #expect(started.data.transition?.breakGlass == "sev1 refund bug fix must reach tenants")
        let own = try #require(sim.log.last { $0.kind == .canaryApproved })
        #expect(own.actor == "alice" && own.data.breakGlass == true)
        #expect(CanaryOverview(sim.readiness).lines.contains { $0.hasPrefix("BREAK-GLASS:") })
    }

    @Test func breakGlassIsRefusedWhileTheCalendarIsOpen() throws {
        var sim = try Self.simAtShadow(now: Self.utc("2026-03-03T10:00:00Z"))
        #expect(sim.act(.approve(note: "", breakGlass: true), by: "bob").refusal?.contains("there is no glass to break") == true)
        sim.act(.approve(note: ""), by: "bob")
        #expect(sim.act(.advance(cohort: nil, breakGlass: "why not"), by: "alice").refusal?.contains("there is no glass to break") == true)
        #expect(sim.act(.advance(cohort: nil), by: "alice").refusal == nil)
    }

    @Test func aZoneWrittenUTCIsShownAsUTC() throws {
        let cal = try Self.policy("  windows:\n    - {name: ops, zone: UTC, days: [mon], from: \"09:00\", until: \"17:00\"}\n").calendar
        let text = try #require(cal.refusal(at: Self.utc("2026-03-03T10:00:00Z"), local: Self.berlin))
        #expect(text.contains("(ops: mon 09:00–17:00 UTC)") && text.contains("next allowed: Mon 9 Mar 2026 09:00 UTC (Mon 9 Mar 2026 10:00 Europe/Berlin your time)"), "\(text)")
    }

    @Test func badCalendarsAreRefusedWithTheirPlace() throws {
        func error(_ yaml: String) -> String {
            do { _ = try Self.policy(yaml); return "parsed" } catch { return ErrorReport.describe(error) }
        }
        let zone = error("  windows:\n    - {zone: Europe/Berln, days: [mon], from: \"09:00\", until: \"17:00\"}\n")
        #expect(zone.contains("policy.yaml:19:14:") && zone.contains("unknown time zone 'Europe/Berln'") && zone.contains("Europe/Berlin"), "\(zone)")
        let nowhere = error("  windows:\n    - {zone: Mars/Olympus, days: [mon], from: \"09:00\", until: \"17:00\"}\n")
        #expect(nowhere.contains("unknown time zone 'Mars/Olympus'") && nowhere.contains("Region/City") && nowhere.count < 400, "\(nowhere)")
        let offset = error("  windows:\n    - {zone: CET, days: [mon], from: \"09:00\", until: \"17:00\"}\n")
        #expect(offset.contains("unknown time zone 'CET'; expected an IANA name"), "\(offset)")
        let noZone = error("  windows:\n    - {days: [mon], from: \"09:00\", until: \"17:00\"}\n")
        #expect(noZone.contains("needs 'zone'") && noZone.contains("there is no default zone"), "\(noZone)")
        let overnight = error("  windows:\n    - {zone: UTC, days: [mon], from: \"22:00\", until: \"02:00\"}\n")
        #expect(overnight.contains("split a window across midnight into two"), "\(overnight)")
        let day = error("  windows:\n    - {zone: UTC, days: [monday], from: \"09:00\", until: \"17:00\"}\n")
        #expect(day.contains("unknown day 'monday'"), "\(day)")
        let clock = error("  windows:\n    - {zone: UTC, days: [mon], from: \"9\", until: \"17:00\"}\n")
        #expect(clock.contains("'from' must be a time of day like \"09:00\""), "\(clock)")
        let freeze = error("  freezes:\n    - {zone: UTC, from: 2026-02-30, until: 2026-03-02, reason: x}\n")
        #expect(freeze.contains("2026-02-30 is not a day that exists"), "\(freeze)")
        let noReason = error("  freezes:\n    - {zone: UTC, from: 2026-02-01, until: 2026-03-02}\n")
        #expect(noReason.contains("needs a 'reason'"), "\(noReason)")
    }
}

/// The same rules through the store and the report, as an operator meets them.
@Suite struct BreakGlassRecordTests {
    static let policy = Policy.sectionNineYAML + """
      canary:
        steps: [1, 5]
        min_shadow_minutes: 0
      freezes:
        - {name: audit-week, zone: Europe/Berlin, from: 2026-12-01, until: 2026-12-04, reason: SOC2 audit week}
      break_glass:
        roles: [captain]
        extra_approvals: 1

    """

    @Test func aBreakGlassAdvanceIsMarkedInTheJournalAndTheReport() throws {
        let rollout = Fixtures.smallTeam.replacingOccurrences(of: "  - {id: dan, roles: [eval]}", with: "  - {id: dan, roles: [eval]}\n  - {id: carol, roles: [sre]}")
            + "tenants:\n  - {id: t1, name: T1, share_pct: 0.5}\n  - {id: t2, name: T2, share_pct: 2}\n"
        let store = try Fixtures.store(rollout: rollout, policy: Self.policy)
        let inFreeze = ReleaseCalendarTests.utc("2026-12-02T10:00:00Z")
        let cockpit = Cockpit(store: store, clock: .fixed(inFreeze))
        let config = try store.loadConfig()
        for item in config.catalog where item.derivedFromCapabilityField == nil {
            try cockpit.perform(.setItem(id: item.id, status: .passed, note: "checked", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        #expect(throws: Refusal.self) { try cockpit.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice")) }
        try cockpit.perform(.canary(.approve(note: "sev1", breakGlass: true)), as: Fixtures.actor("bob"))
        try cockpit.perform(.canary(.approve(note: "sev1", breakGlass: true)), as: Fixtures.actor("carol"))
        let outcome = try cockpit.perform(.canary(.advance(cohort: nil, breakGlass: "sev1: refunds double-charge")), as: Fixtures.actor("alice"))
        #expect(outcome.state.canary.stage == .canary)
        #expect(outcome.state.canary.breakGlass == "sev1: refunds double-charge")
        let url = Fixtures.tempDir("report").appendingPathComponent("report.md")
        _ = try AuditExporter.export(store: store, format: .md, filter: ExportFilter(), toFile: url, now: inFreeze)
        let report = String(decoding: Fixtures.bytes(url), as: UTF8.self)
        #expect(report.contains("- **BREAK-GLASS** (exposure increased outside the release calendar): seq "), "\(report.prefix(2000))")
        #expect(report.contains("shadow → 1% by alice: sev1: refunds double-charge"))
        #expect(report.contains("started as BREAK-GLASS: sev1: refunds double-charge"))
        #expect(report.contains("the freeze 'audit-week' holds"))
    }
}
