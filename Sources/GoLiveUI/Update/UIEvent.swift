import Foundation
import GoLiveCore

public enum UIEvent: Sendable {
    /// A key and the moment it was read: every relative time a key submits ("7d", "5m") counts
    /// from it, idle or not. `nil` keeps the screen's clock (tests and benchmarks that fix it).
    case key(Key, at: Date? = nil)
    case resize(width: Int, height: Int)
    /// The store changed (this process or another): new derived data.
    case data(Dashboard)
    /// What the core said about a performed command: no failure means it was done.
    case performed(success: String, failure: Failure?)
    case history(item: String, events: [Event])
    case timeline([Event])
    case probeStarted(String, Date)
    case probeFinished
    case transitionStarted(String, Date)
    case transitionFinished
    case tick(Date)
    case notice(String)
    /// Why the screen may be out of date (the shared store cannot be read), or nil once it is read again.
    case stale(String?)

    /// What the core said, as plain words (a message that is not a refusal).
    public static func performed(success: String, error: String?) -> UIEvent { .performed(success: success, failure: error.map { Failure($0) }) }
}
