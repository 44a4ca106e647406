import Foundation

/// Where the canary stands. `canary` carries its step in `CanaryState.step`; `held` remembers the
/// live stage it paused.
public enum CanaryStage: String, Codable, Sendable, CaseIterable {
    case planned, shadow, canary, held, completed
    case rolledBack = "rolled_back"

    /// Stages where traffic (mirrored or live) reaches the new version.
    public var isLive: Bool { self == .shadow || self == .canary }
}
