import Foundation
import Yams

public enum PolicyParser {
    static let rolloutKeys = ["require", "rollout_mode", "block_if", "canary", "approvals", "waivers", "conditions", "probes", "windows", "freezes", "break_glass"]

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
            case "probes":
                for (_, _, paths) in try doc.mapping(value, allowed: ["allowed_paths"], what: "'probes'") {
                    for (path, node) in try doc.stringList(paths, what: "'allowed_paths'") {
                        guard path.hasPrefix("/"), path != "/" else {
                            throw doc.error(node, "'\(path)' is not an absolute folder; allowed_paths lists folders outside the store that probes may read, e.g. /srv/ci/results")
                        }
                        policy.probeAllowedPaths.append(path)
                    }
                }
            case "windows": try parseWindows(doc, value, into: &policy)
            case "freezes": try parseFreezes(doc, value, into: &policy)
            case "break_glass": try parseBreakGlass(doc, value, into: &policy)
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
            throw doc.error(i < stepNodes.count ? stepNodes[i] : rolloutPair.keyNode, "canary step \(Format.number(step))% exceeds max_tenant_exposure_pct \(Format.number(policy.maxTenantExposurePct))%; exposure is never above the cap")
        }
        return policy
    }

    static func parseMode(_ doc: YAMLDocument, _ node: Node, into policy: inout Policy) throws {
        for (key, _, value) in try doc.mapping(node, allowed: ["initial", "max_tenant_exposure_pct", "require_shadow_period"], what: "'rollout_mode'") {
            switch key {
            case "initial":
                let mode = try doc.string(value, what: "'initial'")
                guard ["canary", "shadow"].contains(mode) else {
                    throw doc.error(value, "'initial' must be 'canary' or 'shadow', found '\(mode)'")
                }
                _ = mode  // checked only: shadow is always the first stage (see the README)
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
                    if let last = steps.last, s <= last { throw doc.error(n, "canary steps must increase; \(Format.number(s)) follows \(Format.number(last))") }
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
        let keys = ["signoff", "require_signoff", "exposure_increase", "approver_roles", "item_roles", "touch"]
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
            case "touch": policy.approvals.touch = try RolloutConfigParser.touch(doc, value)
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
