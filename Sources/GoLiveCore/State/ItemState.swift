import Foundation

public struct ItemState: Codable, Sendable, Equatable {
    public var status: ItemStatus = .open
    public var note: String?
    public var evidence: [Evidence] = []
    public var waiver: Waiver?
    public var updatedAt: Date?
    public var updatedBy: String?
    /// Seq of the last event that touched this item: what a sign-off is bound to.
    public var revision: Int = 0
    /// Seqs of the latest events on this item (the detail view reads them from the journal), and
    /// how many there were in all; capped so the snapshot stays small on long rollouts.
    public var history: [Int] = []
    public var changes: Int = 0
    public static let historyKept = 12

    public init() {}
}
