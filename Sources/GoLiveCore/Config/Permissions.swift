import Foundation

/// Who may do what, read from the team and the policy: the one place roles are checked. The core's
/// decisions (Cockpit.decide, CanaryEngine) and the cockpit's "why is this key disabled" ask here,
/// so a front end can never offer what the core would refuse for want of a role.
public struct Permissions: Sendable {
    public let config: RolloutConfig

    public init(_ config: RolloutConfig) { self.config = config }

    var approvals: Policy.ApprovalPolicy { config.policy.approvals }

    /// Roles that may set an item, record its probe or add its evidence: its owner role and the
    /// policy's `approvals.item_roles`.
    public func itemRoles(_ item: ItemDefinition) -> Set<String> { Set([item.owner] + approvals.itemRoles) }

    /// `itemRoles` asked without building it: every item record of a fold asks this.
    public func mayWork(on item: ItemDefinition, _ member: Operator) -> Bool { Self.mayWork(on: item, member, extraRoles: approvals.itemRoles) }

    static func mayWork(on item: ItemDefinition, _ member: Operator, extraRoles: [String]) -> Bool {
        member.roles.contains { $0 == item.owner || extraRoles.contains($0) }
    }

    /// Why `operatorID` may not `verb` the item ("set", "add evidence to", "run the probe of"), or
    /// nil when they may: the one wording of the item-role rule for every command that touches an item.
    public func refusal(_ operatorID: String, _ verb: String, _ item: ItemDefinition) -> String? {
        Self.refusal(operatorID, verb, item, in: config)
    }

    /// The same of `config`, borrowed: the fold asks it of every item record.
    static func refusal(_ operatorID: String, _ verb: String, _ item: ItemDefinition, in config: RolloutConfig) -> String? {
        guard let member = config.member(operatorID) else {
            return "operator '\(operatorID)' is not in the team of rollout.yaml (team: \(config.team.map(\.id).joined(separator: ", ")))"
        }
        let extra = config.policy.approvals.itemRoles
        if mayWork(on: item, member, extraRoles: extra) { return nil }
        return "\(operatorID) (\(member.roles.joined(separator: ", "))) cannot \(verb) \(item.id): it belongs to role \(item.owner); allowed roles: \(Permissions(config).itemRoles(item).sorted().joined(separator: ", "))"
    }

    public func mayWaive(_ member: Operator) -> Bool { !Set(config.policy.waivers.roles).isDisjoint(with: member.roles) }

    /// Why `operatorID` may not waive `item` until `expires` at `now`, or nil: the waiver roles,
    /// blockers, and the policy's longest waiver. The writer and the judge of records read here.
    public func waiverRefusal(_ operatorID: String, _ item: ItemDefinition, expires: Date, now: Date) -> String? {
        let policy = config.policy
        guard let member = config.member(operatorID) else { return notInTeam(operatorID) }
        guard mayWaive(member) else {
            return "\(operatorID) (\(member.roles.joined(separator: ", "))) may not waive items; waivers need one of the roles: \(policy.waivers.roles.joined(separator: ", "))"
        }
        if item.severity == .blocker && !policy.waivers.allowBlockers {
            return "\(item.id) is a blocker and this policy does not allow waiving blockers (waivers.allow_blockers: false)"
        }
        guard expires > now else { return "the waiver's expiry \(Timestamp.short(expires)) is not in the future" }
        let limit = now.addingTimeInterval(Double(policy.waivers.maxDays) * 86_400)
        guard expires <= limit else {
            return "a waiver may last at most \(policy.waivers.maxDays) days (waivers.max_days); \(Timestamp.short(expires)) is later than \(Timestamp.short(limit))"
        }
        return nil
    }

    /// Why `operatorID` may not sign off `contour` as `role`, or nil.
    public func signOffRefusal(_ operatorID: String, role: String, contour: Contour) -> String? {
        guard let member = config.member(operatorID) else { return notInTeam(operatorID) }
        guard member.roles.contains(role) else {
            return "\(operatorID) does not hold the role '\(role)' (holds: \(member.roles.joined(separator: ", ")))"
        }
        let allowed = signOffRoles(contour)
        guard allowed.contains(role) else {
            return "role '\(role)' may not sign off \(contour.rawValue); the policy allows: \(allowed.isEmpty ? "nobody" : allowed.joined(separator: ", "))"
        }
        return nil
    }

    /// The role that may adopt a configuration and set refused records aside.
    public static let captainRole = "captain"

    /// Why `operatorID` may not adopt a configuration (or set refused records aside) under this
    /// configuration, or nil. Judged by the configuration in force, never by the one adopted.
    public func captainRefusal(_ operatorID: String, to what: String = "adopt a configuration") -> String? {
        guard config.member(operatorID)?.roles.contains(Self.captainRole) == true else {
            let captains = config.team.filter { $0.roles.contains(Self.captainRole) }.map(\.id)
            return "\(operatorID) may not \(what): it needs the \(Self.captainRole) role in the configuration in force; captains: \(captains.isEmpty ? "none" : captains.joined(separator: ", "))"
        }
        return nil
    }

    /// Who may consent to a loosening configuration: the roles that approve exposure increases,
    /// and captains.
    public func configApproverRefusal(_ operatorID: String) -> String? {
        let roles = Set(config.policy.approvals.approverRoles + [Self.captainRole])
        guard let member = config.member(operatorID) else { return notInTeam(operatorID) }
        guard !Set(member.roles).isDisjoint(with: roles) else {
            return "\(operatorID) (\(member.roles.joined(separator: ", "))) may not approve a configuration; approving roles: \(roles.sorted().joined(separator: ", "))"
        }
        return nil
    }

    func notInTeam(_ operatorID: String) -> String {
        "operator '\(operatorID)' is not in the team of rollout.yaml (team: \(config.team.map(\.id).joined(separator: ", ")))"
    }

    /// Roles the policy lets sign off `contour` (`approvals.signoff`).
    public func signOffRoles(_ contour: Contour) -> [String] { approvals.signoff[contour] ?? [] }

    /// The roles in which `member` may sign off `contour`.
    public func signOffRoles(of member: Operator, for contour: Contour) -> [String] {
        let allowed = signOffRoles(contour)
        return member.roles.filter(allowed.contains)
    }

    /// The role in which this operator may approve and move the canary, if any (`approvals.approver_roles`).
    public func approvingRole(of member: Operator?) -> String? {
        member?.roles.first(where: approvals.approverRoles.contains)
    }

    /// Team members other than `operatorID` who could approve: whom a refusal tells you to ask.
    public func otherApprovers(than operatorID: String) -> [String] {
        config.team.filter { $0.id != operatorID && approvingRole(of: $0) != nil }.map(\.id)
    }
}
