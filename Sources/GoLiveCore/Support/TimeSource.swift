import Foundation

/// Time is injected so that tests (and the canary's shadow timer) are deterministic.
public struct TimeSource: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = TimeSource { Date() }
    public static func fixed(_ date: Date) -> TimeSource { TimeSource { date } }
}
