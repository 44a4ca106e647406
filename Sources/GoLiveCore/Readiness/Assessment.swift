import Foundation

/// How an item counts right now: waivers expire, probe evidence ages, capability items follow rollout.yaml.
public struct Assessment: Sendable, Equatable {
    public enum Standing: String, Sendable { case satisfied, failed, open }
    public var status: ItemStatus
    public var standing: Standing
    public var detail: String
}
