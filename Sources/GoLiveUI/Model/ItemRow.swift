import Foundation
import GoLiveCore

/// One checklist line as the screen shows it.
public struct ItemRow: Equatable, Sendable {
    public var id: String
    public var contour: Contour
    public var title: String
    public var severity: Severity
    public var owner: String
    public var status: ItemStatus
    public var standing: Assessment.Standing
    public var detail: String
    public var updatedAt: Date?
    public var derived: Bool

    /// Glyph and word together, so status never depends on colour.
    public var statusLabel: String {
        switch standing {
        case .satisfied: return "\(status.glyph) \(status.word)"
        case .failed: return "✗ failed"
        case .open: return status == .waived ? "! expired" : "○ open"
        }
    }
}
