import Foundation
import GoLiveCore

public enum UIEvent: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// The store changed (this process or another): new derived data.
    case data(Dashboard)
    /// What the core said about a performed command: nil error means it was done.
    case performed(success: String, error: String?)
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
}
