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

    public func mayWork(on item: ItemDefinition, _ member: Operator) -> Bool { !itemRoles(item).isDisjoint(with: member.roles) }

    /// Why `operatorID` may not `verb` the item ("set", "add evidence to", "run the probe of"), or
    /// nil when they may: the one wording of the item-role rule for every command that touches an item.
    public func refusal(_ operatorID: String, _ verb: String, _ item: ItemDefinition) -> String? {
        guard let member = config.member(operatorID) else {
            return "operator '\(operatorID)' is not in the team of rollout.yaml (team: \(config.team.map(\.id).joined(separator: ", ")))"
        }
        if mayWork(on: item, member) { return nil }
        return "\(operatorID) (\(member.roles.joined(separator: ", "))) cannot \(verb) \(item.id): it belongs to role \(item.owner); allowed roles: \(itemRoles(item).sorted().joined(separator: ", "))"
    }

    public func mayWaive(_ member: Operator) -> Bool { !Set(config.policy.waivers.roles).isDisjoint(with: member.roles) }

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
