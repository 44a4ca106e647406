import Foundation
import GoLiveCore

public struct CanaryConfirm: Equatable, Sendable {
    public enum Kind: String, Sendable { case shadow, approve, advance, rollback, resume, complete, reconcile }
    public var kind: Kind
    public var title: String
    /// The exact change, one fact per line.
    public var lines: [String]
    /// What must be typed to confirm ("1%", "rollback", "applied" or "not applied" …).
    public var targets: [String]
    public var typed = TextField()
    /// Rollback, resume and reconcile need a reason; nil when the action takes none.
    public var reason: TextField?
    /// 0 = reason, 1 = the confirmation field.
    public var focus: Int
    /// What the dialog showed, for the core to hold it to.
    public var expectation: SeenState?
    /// How far the change's lines are scrolled when they do not fit (a long tenant list).
    public var scroll = 0

    public init(kind: Kind, title: String, lines: [String], targets: [String], needsReason: Bool = false) {
        self.kind = kind
        self.title = title
        self.lines = lines
        self.targets = targets
        reason = needsReason ? TextField() : nil
        focus = needsReason ? 0 : 1
    }

    /// The typed text, matched without regard to case or a missing "%".
    public func matchedTarget() -> String? {
        let t = typed.text.trimmingCharacters(in: .whitespaces).lowercased()
        return targets.first { $0.lowercased() == t || $0.lowercased() == t + "%" }
    }
}
