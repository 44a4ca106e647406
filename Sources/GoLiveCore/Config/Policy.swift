import Foundation
import Yams

/// The chapter's section 9 policy, unchanged in shape, plus optional extensions with defaults.
public struct Policy: Codable, Sendable, Equatable {
    public var require: [String]
    public var blockIf: [String]
    public var maxTenantExposurePct: Double = 5
    public var requireShadowPeriod: Bool = true
    public var canary = CanaryPolicy()
    public var approvals = ApprovalPolicy()
    public var waivers = WaiverPolicy()
    /// Release windows, freezes and break-glass: when exposure may increase.
    public var calendar = ReleaseCalendar()
    /// Folders outside the store that built-in probes may read (`probes.allowed_paths`).
    public var probeAllowedPaths: [String] = []
    /// Conditions this policy defines itself, beside the built-in ten.
    public var customConditions: [String: Condition] = [:]
    /// SHA-256 of the policy text, so a verdict names the exact policy it applied.
    public var sha256: String = ""

    public struct CanaryPolicy: Codable, Sendable, Equatable {
        public var steps: [Double] = [1, 5]
        public var minShadowMinutes: Double = 60
        public var decisionTimeoutMinutes: Double? = nil
        public var autoHold: Bool = false
        public var hookTimeoutSeconds: Double = 30
        /// Conditions that must hold to enter shadow; nil means the whole gate.
        public var shadowRequires: [String]? = nil
    }

    public struct ApprovalPolicy: Codable, Sendable, Equatable {
        /// Which roles may sign off which contour.
        public var signoff: [Contour: [String]] = [
            .runtime: ["captain", "eval"], .safety: ["safety"], .capabilities: ["capability_owner", "captain"],
            .observability: ["sre"], .eval_slo: ["eval"], .operations: ["sre"], .ownership: ["captain"],
        ]
        /// Contours whose fresh sign-off the gate requires.
        public var requireSignoff: [Contour] = []
        /// Distinct people who must approve an exposure increase.
        public var exposureIncrease: Int = 2
        public var approverRoles: [String] = ["captain", "safety", "sre"]
        /// What every approval and adoption must show of the approver's hardware key (`touch`).
        public var touch: TouchRequirement?
        /// Roles that may set any item, beside the item's owner role.
        public var itemRoles: [String] = ["captain"]
    }

    public struct WaiverPolicy: Codable, Sendable, Equatable {
        public var allowBlockers: Bool = false
        public var roles: [String] = ["captain", "safety"]
        public var maxDays: Int = 30
    }

    public var conditions: [String: Condition] { BuiltinConditions.all.merging(customConditions) { _, custom in custom } }

    public static let sectionNineYAML = """
    rollout:
      require:
        - trace_coverage
        - policy_prechecks
        - capability_owners
        - offline_eval_pass
        - slo_defined
        - rollback_plan
        - oncall_owner
      rollout_mode:
        initial: canary
        max_tenant_exposure_pct: 5
        require_shadow_period: true
      block_if:
        - unknown_side_effect_path_missing
        - direct_tool_access_present
        - policy_decisions_not_traced

    """

    public static func defaultPolicy() -> Policy {
        // The built-in text is known good; a failure here is a programming error caught by the tests.
        try! PolicyParser.parse(text: sectionNineYAML, file: "<default policy>", knownItems: Set(DefaultCatalog.items.map(\.id)))
    }
}
