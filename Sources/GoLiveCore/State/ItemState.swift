import Foundation

public struct ItemState: Codable, Sendable, Equatable {
    public var status: ItemStatus = .open
    public var note: String?
    /// The newest evidence only (`evidenceKept`): the gate reads the last entry, and the state
    /// must stay O(items) however long the rollout runs. The rest is in the journal, reached
    /// through `history` (the cockpit lists it with each entry's link) or `golive audit export`.
    /// One, not three: older entries were half of state.json, read at every command (issue 14).
    public var evidence: [Evidence] = []
    /// How many evidence entries the item has had in all.
    public var evidenceCount: Int = 0
    public var waiver: Waiver?
    public var updatedAt: Date?
    /// When the current result (passed, failed, n/a) was recorded: what a probe's maximum age is
    /// measured from. A later note or link does not make it younger.
    public var resultAt: Date?
    public var updatedBy: String?
    /// Seq of the last event that touched this item: what a sign-off is bound to.
    public var revision: Int = 0
    /// Seqs of the latest events on this item (the detail view reads them from the journal), and
    /// how many there were in all; capped so the snapshot stays small on long rollouts.
    public var history: [Int] = []
    public var changes: Int = 0
    public static let historyKept = 12
    public static let evidenceKept = 1

    mutating func addEvidence(_ e: Evidence) {
        evidence.append(e)
        evidenceCount += 1
        if evidence.count > Self.evidenceKept { evidence.removeFirst(evidence.count - Self.evidenceKept) }
    }

    public init() {}
}
