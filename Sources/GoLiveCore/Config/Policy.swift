import Foundation
import Yams

/// The chapter's section 9 policy, unchanged in shape, plus optional extensions with defaults.
public struct Policy: Sendable, Equatable {
    public var require: [String]
    public var blockIf: [String]
    public var initialMode: String = "canary"
    public var maxTenantExposurePct: Double = 5
    public var requireShadowPeriod: Bool = true
    public var canary = CanaryPolicy()
    public var approvals = ApprovalPolicy()
    public var waivers = WaiverPolicy()
    /// Conditions this policy defines itself, beside the built-in ten.
    public var customConditions: [String: Condition] = [:]
    /// SHA-256 of the policy text, so a verdict names the exact policy it applied.
    public var sha256: String = ""

    public struct CanaryPolicy: Sendable, Equatable {
        public var steps: [Double] = [1, 5]
        public var minShadowMinutes: Double = 60
        public var decisionTimeoutMinutes: Double? = nil
        public var autoHold: Bool = false
        public var hookTimeoutSeconds: Double = 30
        /// Conditions that must hold to enter shadow; nil means the whole gate.
        public var shadowRequires: [String]? = nil
    }

    public struct ApprovalPolicy: Sendable, Equatable {
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
        /// Roles that may set any item, beside the item's owner role.
        public var itemRoles: [String] = ["captain"]

        /// The role in which this operator may approve and move the canary, if any.
        public func approvingRole(of member: Operator?) -> String? {
            member?.roles.first(where: approverRoles.contains)
        }
    }

    public struct WaiverPolicy: Sendable, Equatable {
        public var allowBlockers: Bool = false
        public var roles: [String] = ["captain", "safety"]
        public var maxDays: Int = 30
    }

    /// "1%", "0.9%", "12.5%": a share as people write it.
    public static func percent(_ value: Double) -> String {
        let r = (value * 1000).rounded() / 1000
        if r == r.rounded() { return "\(Int(r))%" }
        var text = String(format: "%.3f", r)
        while text.hasSuffix("0") { text.removeLast() }
        return text + "%"
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

public enum PolicyParser {
    static let rolloutKeys = ["require", "rollout_mode", "block_if", "canary", "approvals", "waivers", "conditions"]

    public static func parse(file url: URL, knownItems: Set<String>, displayName: String? = nil) throws -> Policy {
        let name = displayName ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError("\(name): cannot read the policy file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: name, line: 1, column: 1, message: "the policy is not UTF-8 text")
        }
        return try parse(text: text, file: name, knownItems: knownItems)
    }

    public static func parse(text: String, file: String, knownItems: Set<String>) throws -> Policy {
        let doc = try YAMLDocument(file: file, text: text)
        guard let root = doc.root else {
            throw ConfigError(file: file, line: 1, column: 1, message: "the policy is empty; expected a 'rollout:' mapping with 'require' and 'block_if'")
        }
        var policy = Policy(require: [], blockIf: [])
        policy.sha256 = Digest.sha256Hex(Data(text.utf8))
        let top = try doc.mapping(root, allowed: ["rollout"], what: "the policy")
        guard let rolloutPair = top.first else {
            throw doc.error(root, "the policy needs a 'rollout:' mapping")
        }
        let pairs = try doc.mapping(rolloutPair.value, allowed: rolloutKeys, what: "'rollout'")
        var requireNodes: [(String, Node)] = [], blockNodes: [(String, Node)] = []
        var sawRequire = false
        // Positions of the canary steps, for the cap check that can only run once the whole file is read.
        var stepNodes: [Node] = [], shadowNodes: [(String, Node)] = []
        for (key, _, value) in pairs {
            switch key {
            case "require": requireNodes = try doc.stringList(value, what: "'require'"); sawRequire = true
            case "block_if": blockNodes = try doc.stringList(value, what: "'block_if'")
            case "rollout_mode": try parseMode(doc, value, into: &policy)
            case "canary": (stepNodes, shadowNodes) = try parseCanary(doc, value, into: &policy)
            case "approvals": try parseApprovals(doc, value, into: &policy)
            case "waivers": try parseWaivers(doc, value, into: &policy)
            case "conditions": try parseConditions(doc, value, knownItems: knownItems, into: &policy)
            default: break
            }
        }
        if !sawRequire { throw doc.error(rolloutPair.keyNode, "'rollout' needs a 'require' list of condition names") }
        let known = Array(policy.conditions.keys)
        for (name, node) in requireNodes + blockNodes + shadowNodes where policy.conditions[name] == nil {
            throw doc.error(node, "unknown condition '\(name)'; \(Suggest.didYouMean(name, in: known))")
        }
        policy.require = requireNodes.map(\.0)
        policy.blockIf = blockNodes.map(\.0)
        for (i, step) in policy.canary.steps.enumerated() where step > policy.maxTenantExposurePct {
            throw doc.error(i < stepNodes.count ? stepNodes[i] : rolloutPair.keyNode, "canary step \(format(step))% exceeds max_tenant_exposure_pct \(format(policy.maxTenantExposurePct))%; exposure is never above the cap")
        }
        return policy
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func parseMode(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        for (key, _, value) in try doc.mapping(node, allowed: ["initial", "max_tenant_exposure_pct", "require_shadow_period"], what: "'rollout_mode'") {
            switch key {
            case "initial":
                let mode = try doc.string(value, what: "'initial'")
                guard ["canary", "shadow"].contains(mode) else {
                    throw doc.error(value, "'initial' must be 'canary' or 'shadow', found '\(mode)'")
                }
                policy.initialMode = mode
            case "max_tenant_exposure_pct":
                let pct = try doc.double(value, what: "'max_tenant_exposure_pct'")
                guard pct > 0 && pct <= 100 else { throw doc.error(value, "'max_tenant_exposure_pct' must be above 0 and at most 100") }
                policy.maxTenantExposurePct = pct
            case "require_shadow_period": policy.requireShadowPeriod = try doc.bool(value, what: "'require_shadow_period'")
            default: break
            }
        }
    }

    static func parseCanary(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws -> (steps: [Node], shadow: [(String, Node)]) {
        var stepNodes: [Node] = [], shadowNodes: [(String, Node)] = []
        let keys = ["steps", "min_shadow_minutes", "decision_timeout_minutes", "auto_hold", "hook_timeout_seconds", "shadow_requires"]
        for (key, _, value) in try doc.mapping(node, allowed: keys, what: "'canary'") {
            switch key {
            case "steps":
                let nodes = try doc.sequence(value, what: "'steps'")
                var steps: [Double] = []
                for n in nodes {
                    let s = try doc.double(n, what: "a canary step (percent of tenant traffic)")
                    guard s > 0 else { throw doc.error(n, "a canary step must be above 0 percent") }
                    if let last = steps.last, s <= last { throw doc.error(n, "canary steps must increase; \(format(s)) follows \(format(last))") }
                    steps.append(s)
                }
                guard !steps.isEmpty else { throw doc.error(value, "'steps' needs at least one percentage") }
                policy.canary.steps = steps
                stepNodes = nodes
            case "min_shadow_minutes":
                let m = try doc.double(value, what: "'min_shadow_minutes'")
                guard m >= 0 else { throw doc.error(value, "'min_shadow_minutes' cannot be negative") }
                policy.canary.minShadowMinutes = m
            case "decision_timeout_minutes":
                let m = try doc.double(value, what: "'decision_timeout_minutes'")
                guard m > 0 else { throw doc.error(value, "'decision_timeout_minutes' must be above 0") }
                policy.canary.decisionTimeoutMinutes = m
            case "shadow_requires":
                // Custom conditions may be declared later in the file; the names are checked once all is read.
                let names = try doc.stringList(value, what: "'shadow_requires'")
                policy.canary.shadowRequires = names.map(\.0)
                shadowNodes = names
            case "auto_hold": policy.canary.autoHold = try doc.bool(value, what: "'auto_hold'")
            case "hook_timeout_seconds":
                let s = try doc.double(value, what: "'hook_timeout_seconds'")
                guard s > 0 else { throw doc.error(value, "'hook_timeout_seconds' must be above 0") }
                policy.canary.hookTimeoutSeconds = s
            default: break
            }
        }
        return (stepNodes, shadowNodes)
    }

    static func parseApprovals(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        let keys = ["signoff", "require_signoff", "exposure_increase", "approver_roles", "item_roles"]
        for (key, _, value) in try doc.mapping(node, allowed: keys, what: "'approvals'") {
            switch key {
            case "signoff":
                var map = policy.approvals.signoff
                for (contourName, keyNode, roles) in try doc.mapping(value, allowed: Contour.allCases.map(\.rawValue), what: "'signoff'") {
                    guard let contour = Contour(rawValue: contourName) else { throw doc.error(keyNode, "unknown contour") }
                    map[contour] = try doc.stringList(roles, what: "roles for \(contourName)").map(\.0)
                }
                policy.approvals.signoff = map
            case "require_signoff":
                policy.approvals.requireSignoff = try doc.stringList(value, what: "'require_signoff'").map { name, n in
                    guard let c = Contour(rawValue: name) else {
                        throw doc.error(n, "unknown contour '\(name)'; \(Suggest.didYouMean(name, in: Contour.allCases.map(\.rawValue)))")
                    }
                    return c
                }
            case "exposure_increase":
                let n = try doc.int(value, what: "'exposure_increase'")
                guard n >= 2 else { throw doc.error(value, "'exposure_increase' must be at least 2: the requester alone never suffices") }
                policy.approvals.exposureIncrease = n
            case "approver_roles": policy.approvals.approverRoles = try doc.stringList(value, what: "'approver_roles'").map(\.0)
            case "item_roles": policy.approvals.itemRoles = try doc.stringList(value, what: "'item_roles'").map(\.0)
            default: break
            }
        }
    }

    static func parseWaivers(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        for (key, _, value) in try doc.mapping(node, allowed: ["allow_blockers", "roles", "max_days"], what: "'waivers'") {
            switch key {
            case "allow_blockers": policy.waivers.allowBlockers = try doc.bool(value, what: "'allow_blockers'")
            case "roles": policy.waivers.roles = try doc.stringList(value, what: "'roles'").map(\.0)
            case "max_days":
                let d = try doc.int(value, what: "'max_days'")
                guard d >= 1 else { throw doc.error(value, "'max_days' must be at least 1") }
                policy.waivers.maxDays = d
            default: break
            }
        }
    }

    static func parseConditions(_ doc: YAMLDocument, _ node: Node, knownItems: Set<String>, into policy: inout Policy) throws {
        let kinds = ["all_passed", "any_failed", "capability_field_missing"]
        for (name, keyNode, body) in try doc.mapping(node, allowed: [], what: "'conditions'") {
            if BuiltinConditions.all[name] != nil {
                throw doc.error(keyNode, "'\(name)' is a built-in condition; give your condition another name")
            }
            let pairs = try doc.mapping(body, allowed: kinds + ["description"], what: "condition '\(name)'")
            var summary = ""
            var rules: [Condition.Rule] = []
            for (key, _, value) in pairs {
                switch key {
                case "description": summary = try doc.string(value, what: "'description'")
                case "capability_field_missing":
                    let fields = try doc.stringList(value, what: "'capability_field_missing'").map { f, n in
                        guard let field = CapabilityField(rawValue: f) else {
                            throw doc.error(n, "unknown capability field '\(f)'; \(Suggest.didYouMean(f, in: CapabilityField.allCases.map(\.rawValue)))")
                        }
                        return field
                    }
                    rules.append(.capabilityFieldMissing(fields))
                default:
                    let ids = try doc.stringList(value, what: "'\(key)'").map { id, n in
                        guard knownItems.contains(id) else {
                            throw doc.error(n, "unknown item '\(id)'; \(Suggest.didYouMean(id, in: Array(knownItems)))")
                        }
                        return id
                    }
                    rules.append(key == "all_passed" ? .allPassed(ids) : .anyFailed(ids))
                }
            }
            guard rules.count == 1 else {
                throw doc.error(keyNode, "condition '\(name)' needs exactly one of: \(kinds.joined(separator: ", "))")
            }
            if summary.isEmpty {
                switch rules[0] {
                case let .allPassed(ids): summary = "all passed: " + ids.joined(separator: ", ")
                case let .anyFailed(ids): summary = "any failed: " + ids.joined(separator: ", ")
                case let .capabilityFieldMissing(f): summary = "a capability lacks: " + f.map(\.rawValue).joined(separator: ", ")
                default: break
                }
            }
            policy.customConditions[name] = Condition(name: name, summary: summary, rules: rules)
        }
    }
}
