import Foundation

/// Time is injected so that tests (and the canary's shadow timer) are deterministic.
public struct TimeSource: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    /// To the millisecond, as the journal writes time: what a decision is made on is then what
    /// every reader folds back (a write's preview of its state equals the state folded from it).
    public static let system = TimeSource { Timestamp.asWritten(Date()) }
    public static func fixed(_ date: Date) -> TimeSource { TimeSource { date } }
}
