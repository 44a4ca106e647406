import Foundation

/// Which items a list shows. `golive status` lists its open blockers through the same query as
/// `golive items --blockers`, so the two can never disagree.
public struct ItemQuery: Sendable {
    public enum Scope: String, Sendable { case all, open, blockers }
    public var scope: Scope
    public var contour: Contour?
    /// A role, or a person: then the items owned by any role they hold.
    public var owner: String?

    public init(scope: Scope = .all, contour: Contour? = nil, owner: String? = nil) {
        self.scope = scope
        self.contour = contour
        self.owner = owner
    }

    /// The roles `owner` stands for in `config`: a team member's roles, else the role itself.
    public static func ownerRoles(_ owner: String, in config: RolloutConfig) -> Set<String> {
        if let member = config.member(owner) { return Set(member.roles) }
        return [owner]
    }

    /// Catalog order, which is the order of the contours and of the chapter's questions.
    public func rows(_ r: Readiness) -> [(ItemDefinition, Assessment)] {
        let roles = owner.map { Self.ownerRoles($0, in: r.config) }
        return zip(r.config.catalog, r.assessments()).compactMap { item, a in
            if let contour, item.contour != contour { return nil }
            if let roles, !roles.contains(item.owner) { return nil }
            switch scope {
            case .all: break
            case .open: if a.standing == .satisfied { return nil }
            case .blockers: if item.severity != .blocker || a.standing == .satisfied { return nil }
            }
            return (item, a)
        }
    }

    public func list(_ r: Readiness) -> [ItemRow] {
        rows(r).map { item, a in
            let at = r.state.item(item.id).updatedAt
            return ItemRow(id: item.id, contour: item.contour.rawValue, title: item.title, status: a.status.rawValue,
                           standing: a.standing.rawValue, severity: item.severity.rawValue, owner: item.owner, updatedAt: at,
                           ageSeconds: at.map { max(0, Int(r.now.timeIntervalSince($0))) }, detail: SafeText.sanitize(a.detail))
        }
    }
}
