import Foundation
import Testing
@testable import GoLiveCore

@Suite struct PolicyTests {
    let known = Set(DefaultCatalog.items.map(\.id))

    func parseError(_ text: String) -> ConfigError? {
        do {
            _ = try PolicyParser.parse(text: text, file: "p.yaml", knownItems: known)
            return nil
        } catch let e as ConfigError { return e } catch { return nil }
    }

    @Test func sectionNineLoadsVerbatimWithDefaults() throws {
        let p = try PolicyParser.parse(text: Policy.sectionNineYAML, file: "p.yaml", knownItems: known)
        #expect(p.require == BuiltinConditions.requireNames)
        #expect(p.blockIf == BuiltinConditions.blockNames)
        #expect(p.maxTenantExposurePct == 5)
        #expect(p.requireShadowPeriod)
        #expect(p.canary.steps == [1, 5])
        #expect(p.canary.minShadowMinutes == 60)
        #expect(p.approvals.exposureIncrease == 2)
        #expect(!p.waivers.allowBlockers)
        #expect(p.sha256.count == 64)
    }

    @Test func misspeltConditionNamesPositionAndSuggestion() throws {
        let text = Policy.sectionNineYAML.replacingOccurrences(of: "- slo_defined", with: "- slo_defnied")
        let e = try #require(parseError(text))
        #expect(e.line == 7 && e.column == 7)
        #expect(e.message.contains("unknown condition 'slo_defnied'"))
        #expect(e.message.contains("did you mean 'slo_defined'"))
    }

    @Test func wrongTypeNamesPosition() throws {
        let text = Policy.sectionNineYAML.replacingOccurrences(of: "max_tenant_exposure_pct: 5", with: "max_tenant_exposure_pct: five")
        let e = try #require(parseError(text))
        #expect(e.line == 12 && e.column == 30)
        #expect(e.message.contains("must be a number, found 'five'"))
    }

    @Test func brokenIndentationIsLocated() throws {
        let text = Policy.sectionNineYAML.replacingOccurrences(of: "    - policy_prechecks", with: "   - policy_prechecks")
        let e = try #require(parseError(text))
        #expect(e.line == 4)
        #expect(e.message.contains("indentation"))
    }

    @Test func indentationThatNestsAKeyWronglySuggestsTheKey() throws {
        let text = Policy.sectionNineYAML.replacingOccurrences(of: "  block_if:", with: "    block_if:")
        let e = try #require(parseError(text))
        #expect(e.line == 14)
        #expect(e.message.contains("unknown key 'block_if' in 'rollout_mode'"))
    }

    @Test func unknownKeySuggestsNearest() throws {
        let e = try #require(parseError(Policy.sectionNineYAML + "  waviers:\n    allow_blockers: true\n"))
        #expect(e.line == 18 && e.column == 3)
        #expect(e.message.contains("did you mean 'waivers'"))
    }

    @Test func stepsAboveTheCapFailLint() throws {
        let e = try #require(parseError(Policy.sectionNineYAML + "  canary:\n    steps: [1, 5, 10]\n"))
        #expect(e.message.contains("exceeds max_tenant_exposure_pct 5%"))
        #expect(e.line == 19)
    }

    @Test func customConditionsFromItems() throws {
        let text = Policy.sectionNineYAML + """
          conditions:
            high_risk_tested:
              all_passed: [ownership.high_risk_flows_tested]
            idempotency_missing:
              capability_field_missing: [idempotency]

        """
        let withUse = text.replacingOccurrences(of: "    - oncall_owner\n", with: "    - oncall_owner\n    - high_risk_tested\n")
            .replacingOccurrences(of: "    - policy_decisions_not_traced\n", with: "    - policy_decisions_not_traced\n    - idempotency_missing\n")
        let p = try PolicyParser.parse(text: withUse, file: "p.yaml", knownItems: known)
        #expect(p.require.last == "high_risk_tested")
        #expect(p.customConditions["idempotency_missing"]?.rules == [.capabilityFieldMissing([.idempotency])])
        let bad = text.replacingOccurrences(of: "ownership.high_risk_flows_tested", with: "ownership.high_risk_flow_tested")
        let e = try #require(parseError(bad))
        #expect(e.message.contains("did you mean 'ownership.high_risk_flows_tested'"))
    }

    @Test func exposureApprovalsNeverBelowTwo() throws {
        let e = try #require(parseError(Policy.sectionNineYAML + "  approvals:\n    exposure_increase: 1\n"))
        #expect(e.message.contains("requester alone never suffices"))
    }
}
