import Foundation
import Testing
import GoLiveTestSupport
@testable import GoLiveCore

@Suite struct GateTests {
    @Test func sampleRolloutIsNotReadyForFourExplainedReasons() throws {
        let store = try Fixtures.sampleStore()
        let (v, _) = try Cockpit(store: store).gate()
        #expect(!v.ready)
        #expect(v.unmet.map(\.name) == ["trace_coverage", "offline_eval_pass", "oncall_owner"])
        #expect(v.blocks.map(\.name) == ["unknown_side_effect_path_missing"])
        #expect(v.unmet[0].findings.map(\.item) == ["observability.key_spans"])
        #expect(v.unmet[1].findings.first?.detail.hasPrefix("failed") == true)
        #expect(v.blocks[0].findings.compactMap(\.capability) == ["refund_payment", "email_send"])
        #expect(v.policySha256.count == 64 && v.stateSha256.count == 64)
        #expect(v.signoffsMissing.isEmpty)
    }

    /// Issue 30: what goes through every item (the counts, the gate's blockers, the lists) takes
    /// the assessments in catalog order, made once and on two cores past 512 items. Each is what
    /// a Readiness that assesses that item alone says, an item assessed alone before is not
    /// assessed again, and the counts and the blockers are those of the items one by one.
    @Test func everyItemsAssessmentInOrderIsEachItemsOwn() throws {
        let store = try Fixtures.sampleStore()
        var config = try store.loadConfig()
        var random = SeededGenerator(seed: 30)
        let now = Date()
        config.catalog = (0..<1_200).map { i in
            ItemDefinition(id: "item.\(i)", contour: Contour.allCases[Int.random(in: 0..<Contour.allCases.count, using: &random)], title: "t", why: "w",
                           severity: [Severity.blocker, .required, .advisory][Int.random(in: 0...2, using: &random)], owner: "captain")
        }
        var state = RolloutState()
        for item in config.catalog {
            var s = ItemState()
            s.status = ItemStatus.allCases[Int.random(in: 0..<ItemStatus.allCases.count, using: &random)]
            if s.status == .waived {
                s.waiver = Waiver(reason: "r", expires: now.addingTimeInterval(Bool.random(using: &random) ? 3_600 : -3_600), by: "alice", at: now)
            }
            s.note = "note of \(item.id)"
            state.items[item.id, default: ItemState()] = s
        }
        let r = Readiness(config: config, state: state, now: now)
        let early = r.assess(config.catalog[700])
        let all = r.assessments()
        #expect(r.made.withLock { $0 }.assessments == config.catalog.count)
        #expect(all[700] == early)
        let alone = config.catalog.map { Readiness(config: config, state: state, now: now).assess($0) }
        #expect(all == alone)
        #expect(Set(all.map(\.standing)) == [.satisfied, .open, .failed])
        for contour in Contour.allCases {
            let mine = zip(config.catalog, alone).filter { $0.0.contour == contour }
            let sum = r.summary(contour)
            #expect(sum.total == mine.count && sum.satisfied == mine.filter { $0.1.standing == .satisfied }.count)
            #expect(sum.failed == mine.filter { $0.1.standing == .failed }.count)
            #expect(sum.openBlockers == mine.filter { $0.0.severity == .blocker && $0.1.standing != .satisfied }.count)
        }
        let blockers = ItemQuery(scope: .blockers).rows(r).map(\.0.id)
        #expect(blockers == zip(config.catalog, alone).filter { $0.0.severity == .blocker && $0.1.standing != .satisfied }.map(\.0.id))
        #expect(r.made.withLock { $0 }.assessments == config.catalog.count)
    }

    /// Issue 30: `status` and the cockpit's first frame asked for every item's assessment three or
    /// four times (the gate, the contours, the canary's verdict, the lists), and the canary's
    /// overview evaluated the gate again. Each is now made once for a state and a time, and what
    /// is read back is what a fresh evaluation says.
    @Test func whatStatusShowsAssessesEachItemOnceAndEvaluatesTheGateOnce() throws {
        let store = try Fixtures.sampleStore()
        let config = try store.loadConfig()
        let state = try store.loadState().state
        let now = Date()
        let r = Readiness(config: config, state: state, now: now)
        let verdict = Gate.evaluate(r)
        let summaries = Contour.allCases.map { r.summary($0) }
        let overview = CanaryOverview(r)
        let blockers = ItemQuery(scope: .blockers).rows(r)
        #expect(Gate.evaluate(r) == verdict)
        #expect(r.made.withLock { $0 }.assessments == config.catalog.count)
        #expect(r.made.withLock { $0 }.verdicts == 1)
        // Read back, each is what a Readiness that never asked before says.
        func fresh() -> Readiness { Readiness(config: config, state: state, now: now) }
        #expect(Gate.evaluate(fresh()) == verdict)
        for (c, sum) in zip(Contour.allCases, summaries) {
            let f = fresh().summary(c)
            #expect([f.total, f.satisfied, f.failed, f.openBlockers] as [Int] == [sum.total, sum.satisfied, sum.failed, sum.openBlockers])
            #expect(f.signoff == sum.signoff)
            #expect(f.total == config.items(in: c).count)
        }
        #expect(summaries.map(\.openBlockers).reduce(0, +) == blockers.count)
        #expect(CanaryOverview(fresh()).label == overview.label)
        for item in config.catalog { #expect(fresh().assess(item) == r.assess(item), "\(item.id)") }
    }

    @Test func closingTheGapsMakesItReady() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.setItem(id: "observability.key_spans", status: .passed, note: "spans in rc3", evidenceURL: nil), as: Fixtures.actor("carol"))
        try cockpit.perform(.setItem(id: "eval_slo.offline_evals", status: .passed, note: "7/7", evidenceURL: nil), as: Fixtures.actor("dan"))
        try cockpit.perform(.setItem(id: "operations.oncall_owner", status: .passed, note: "rota live", evidenceURL: nil), as: Fixtures.actor("carol"))
        #expect(try cockpit.gate().0.blocks.count == 1)
        var yaml = String(decoding: Fixtures.bytes(store.rolloutURL), as: UTF8.self)
        yaml = yaml.replacingOccurrences(of: "    outcome_telemetry: span tool.refund_payment with refund id\n",
                                         with: "    outcome_telemetry: span tool.refund_payment with refund id\n    unknown_side_effect_path: query refund by key before retry\n")
        yaml = yaml.replacingOccurrences(of: "    outcome_telemetry: span tool.email_send\n",
                                         with: "    outcome_telemetry: span tool.email_send\n    unknown_side_effect_path: relay log lookup by message id\n")
        try Data(yaml.utf8).write(to: store.rolloutURL)
        #expect(try cockpit.gate().0.unmet.map(\.name) == [Gate.configurationAdopted], "the edit counts once adopted, not before")
        try cockpit.adoptConfiguration(reason: "declare the unknown-side-effect paths", as: Fixtures.actor("alice"))
        let (v, _) = try cockpit.gate()
        #expect(v.ready, "still: \(v.unmet.map(\.name)) \(v.blocks.map(\.name))")
    }

    @Test func waiverCountsOnlyUntilItsExpiry() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: Policy.sectionNineYAML + "  waivers:\n    allow_blockers: true\n")
        let t0 = Date(timeIntervalSince1970: 2_000_000_000)
        let cockpit = Cockpit(store: store, clock: .fixed(t0))
        try cockpit.perform(.waive(id: "eval_slo.offline_evals", reason: "known flaky", expires: t0.addingTimeInterval(3600)), as: Fixtures.actor("alice"))
        let before = try Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(60))).gate().0
        #expect(!before.unmet.map(\.name).contains("offline_eval_pass"))
        let after = try Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(7200))).gate().0
        let finding = try #require(after.unmet.first { $0.name == "offline_eval_pass" }?.findings.first)
        #expect(finding.detail.contains("waiver expired"))
    }

    @Test func notApplicableNeedsAReason() throws {
        let store = try Fixtures.sampleStore()
        #expect(throws: InputError.self) {
            try Cockpit(store: store).perform(.setItem(id: "runtime.happy_path", status: .not_applicable, note: " ", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
    }

    @Test func unknownItemSuggestsNearest() throws {
        let store = try Fixtures.sampleStore()
        do {
            try Cockpit(store: store).perform(.setItem(id: "observability.key_span", status: .passed, note: "", evidenceURL: nil), as: Fixtures.actor("carol"))
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.message.contains("did you mean 'observability.key_spans'"))
        }
    }

    @Test func signOffGoesStaleWhenTheContourChanges() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        #expect(try cockpit.readiness().signoffStanding(.safety) == .fresh)
        #expect(try cockpit.gate().0.signoffsMissing.isEmpty)
        try cockpit.perform(.addEvidence(id: "safety.no_gateway_bypass", text: "rescan", url: nil), as: Fixtures.actor("bob"))
        #expect(try cockpit.readiness().signoffStanding(.safety) == .stale)
        // The sample policy requires a fresh safety sign-off: a stale one is not counted.
        #expect(try cockpit.gate().0.signoffsMissing.first?.contains("stale") == true)
        try cockpit.perform(.signOff(contour: .safety, role: "safety", note: "re-reviewed"), as: Fixtures.actor("bob"))
        #expect(try cockpit.readiness().signoffStanding(.safety) == .fresh)
    }

    @Test func aProbeThatCouldNotRunIsFailedNotOpen() throws {
        // A probe outcome is recorded as a failed status with the reason; the gate must treat it as failed.
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.setItem(id: "observability.key_spans", status: .failed, note: "could not run: command not found", evidenceURL: nil), as: Fixtures.actor("carol"))
        let finding = try #require(try cockpit.gate().0.unmet.first { $0.name == "trace_coverage" }?.findings.first)
        #expect(finding.detail.hasPrefix("failed"))
    }
}

@Suite struct PermissionTests {
    @Test func operatorWithoutTheRoleCannotSignOffAndTheRefusalIsJournaled() throws {
        let store = try Fixtures.sampleStore()
        let before = try store.loadState().state.refusals
        #expect(throws: Refusal.self) {
            try Cockpit(store: store).perform(.signOff(contour: .safety, role: "eval", note: ""), as: Fixtures.actor("dan"))
        }
        #expect(throws: Refusal.self) {
            try Cockpit(store: store).perform(.signOff(contour: .safety, role: "safety", note: ""), as: Fixtures.actor("dan"))
        }
        var last: Event?
        try store.forEachEvent { last = $0; return true }
        #expect(last?.kind == .actionRefused)
        #expect(last?.actor == "dan")
        #expect(last?.data.reason?.contains("does not hold the role 'safety'") == true)
        #expect(try store.loadState().state.refusals == before + 2)
        #expect(try Cockpit(store: store).readiness().signoffs(for: .safety).allSatisfy { $0.0.by == "bob" })
    }

    @Test func blockersCannotBeWaivedUnlessPolicyAllowsAndOnlyByWaiverRoles() throws {
        let sample = try Fixtures.sampleStore()
        do {
            try Cockpit(store: sample).perform(.waive(id: "eval_slo.offline_evals", reason: "r", expires: Date().addingTimeInterval(3600)), as: Fixtures.actor("alice"))
            Issue.record("waiving a blocker must be refused")
        } catch let r as Refusal {
            #expect(r.reason.contains("allow_blockers"))
        }
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: Policy.sectionNineYAML + "  waivers:\n    allow_blockers: true\n    roles: [captain]\n")
        do {
            try Cockpit(store: store).perform(.waive(id: "eval_slo.offline_evals", reason: "r", expires: Date().addingTimeInterval(3600)), as: Fixtures.actor("dan"))
            Issue.record("dan has no waiver role")
        } catch let r as Refusal {
            #expect(r.reason.contains("may not waive"))
        }
        var kinds: [EventKind] = []
        try store.forEachEvent { kinds.append($0.kind); return true }
        #expect(kinds.last == .actionRefused)
        try Cockpit(store: store).perform(.waive(id: "eval_slo.offline_evals", reason: "r", expires: Date().addingTimeInterval(3600)), as: Fixtures.actor("alice"))
        #expect(try store.loadState().state.item("eval_slo.offline_evals").status == .waived)
    }

    @Test func unknownOperatorAndWrongOwnerAreRefused() throws {
        let store = try Fixtures.sampleStore()
        #expect(throws: Refusal.self) {
            try Cockpit(store: store).perform(.setItem(id: "runtime.happy_path", status: .passed, note: "checked", evidenceURL: nil), as: Fixtures.actor("mallory"))
        }
        #expect(throws: Refusal.self) {
            try Cockpit(store: store).perform(.setItem(id: "safety.prechecks_guardrails", status: .failed, note: "checked", evidenceURL: nil), as: Fixtures.actor("dan"))
        }
        #expect(throws: Refusal.self) {
            try Cockpit(store: store).perform(.setItem(id: "capabilities.owner", status: .passed, note: "checked", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
    }

    @Test func readOnlyCockpitWritesNothing() throws {
        let store = try Fixtures.sampleStore()
        let before = Fixtures.bytes(store.journalURL)
        #expect(throws: Refusal.self) {
            try Cockpit(store: store, readOnly: true).perform(.setItem(id: "runtime.happy_path", status: .passed, note: "", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        #expect(Fixtures.bytes(store.journalURL) == before)
    }

    /// Cockpit finding 7: blank pass and fail notes were accepted on blocker items.
    @Test func aBlockersResultSaysWhatWasChecked() throws {
        let store = try Fixtures.sampleStore()
        let before = Fixtures.bytes(store.journalURL)
        #expect(throws: InputError.self) {
            try Cockpit(store: store).perform(.setItem(id: "runtime.happy_path", status: .passed, note: "  ", evidenceURL: nil), as: Fixtures.actor("dan"))
        }
        #expect(Fixtures.bytes(store.journalURL) == before)
        try Cockpit(store: store).perform(.setItem(id: "runtime.happy_path", status: .passed, note: "", evidenceURL: "https://ci/1"), as: Fixtures.actor("dan"))
        try Cockpit(store: store).perform(.setItem(id: "runtime.tool_hops_bounded", status: .passed, note: "", evidenceURL: nil), as: Fixtures.actor("alice"))
    }
}

/// Issue 26, finding 1: a blocker blocks whether or not a policy condition names it.
@Suite struct BlockersBlockTests {
    /// The sample made READY the way `closingTheGapsMakesItReady` does.
    static func readySample() throws -> (Store, Cockpit) {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.setItem(id: "observability.key_spans", status: .passed, note: "spans in rc3", evidenceURL: nil), as: Fixtures.actor("carol"))
        try cockpit.perform(.setItem(id: "eval_slo.offline_evals", status: .passed, note: "7/7", evidenceURL: nil), as: Fixtures.actor("dan"))
        try cockpit.perform(.setItem(id: "operations.oncall_owner", status: .passed, note: "rota live", evidenceURL: nil), as: Fixtures.actor("carol"))
        var yaml = String(decoding: Fixtures.bytes(store.rolloutURL), as: UTF8.self)
        yaml = yaml.replacingOccurrences(of: "    outcome_telemetry: span tool.refund_payment with refund id\n",
                                         with: "    outcome_telemetry: span tool.refund_payment with refund id\n    unknown_side_effect_path: query refund by key before retry\n")
        yaml = yaml.replacingOccurrences(of: "    outcome_telemetry: span tool.email_send\n",
                                         with: "    outcome_telemetry: span tool.email_send\n    unknown_side_effect_path: relay log lookup by message id\n")
        try Data(yaml.utf8).write(to: store.rolloutURL)
        try cockpit.adoptConfiguration(reason: "declare the unknown-side-effect paths", as: Fixtures.actor("alice"))
        return (store, cockpit)
    }

    @Test func aFailedBlockerInNoConditionKeepsTheGateNotReady() throws {
        let (store, cockpit) = try Self.readySample()
        let before = try cockpit.gate().0
        #expect(before.ready, "the fixture starts READY: \(before.reasons)")
        let config = try store.loadConfig()
        #expect(!config.policy.conditions.values.contains { $0.itemIDs.contains("runtime.happy_path") },
                "the sample policy names no condition on runtime.happy_path")
        try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "3 of 40 runs fail", evidenceURL: nil), as: Fixtures.actor("dan"))
        let v = try cockpit.gate().0
        #expect(!v.ready)
        let blockers = try #require(v.unmet.first { $0.name == Gate.blockersSatisfied })
        #expect(blockers.findings.map(\.item) == ["runtime.happy_path"])
        #expect(blockers.findings.first?.detail.hasPrefix("failed") == true)
        let text = GateReport.lines(v, rollout: "r").map(\.0).joined(separator: "\n")
        #expect(text.contains("require blockers_satisfied"), "\(text)")
        #expect(text.contains("item runtime.happy_path: failed"), "\(text)")
    }

    @Test func aPolicyCannotRemoveTheBlockerRequirement() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: "rollout:\n  require: []\n  block_if: []\n")
        let v = try Cockpit(store: store).gate().0
        #expect(!v.ready, "every blocker is open in a fresh store")
        let blockers = try #require(v.unmet.first { $0.name == Gate.blockersSatisfied })
        let config = try store.loadConfig()
        let r = try Cockpit(store: store).readiness()
        let openBlockers: [String] = config.catalog.filter { $0.severity == .blocker && r.assess($0).standing != .satisfied }.map(\.id)
        #expect(openBlockers.contains("runtime.happy_path"))
        #expect(Set(blockers.findings.compactMap(\.item)) == Set(openBlockers))
    }

    @Test func aFailedRequiredItemNoConditionNamesIsShownAsNotGating() throws {
        let (store, cockpit) = try Self.readySample()
        let config = try store.loadConfig()
        let named = Set(config.policy.conditions.values.flatMap(\.itemIDs))
        let item = try #require(config.catalog.first { $0.severity == .required && !named.contains($0.id) })
        try cockpit.perform(.setItem(id: item.id, status: .failed, note: "broken", evidenceURL: nil), as: Fixtures.actor("alice"))
        let v = try cockpit.gate().0
        #expect(v.ready, "a required item no condition names does not gate: \(v.reasons)")
        #expect(v.notGating.map(\.item).contains(item.id))
        let text = GateReport.lines(v, rollout: "r").map(\.0).joined(separator: "\n")
        #expect(text.contains("not gating"), "\(text)")
        #expect(text.contains(item.id))
    }
}
