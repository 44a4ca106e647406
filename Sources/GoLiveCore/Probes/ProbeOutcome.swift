import Foundation

/// What running a probe came to. "Could not run" (missing command, timeout, cancelled) counts as failed.
public struct ProbeOutcome: Sendable, Equatable {
    public enum Result: String, Sendable { case passed, failed, couldNotRun = "could_not_run" }
    public var result: Result
    public var summary: String
    /// Sanitised and bounded output.
    public var output: String
    public var outputSha256: String
    public var seconds: Double
    public var processGroup: Int32
    /// How the process ended, for callers (transition hooks) that treat a crash unlike a "no".
    public var ending: Ending = .notStarted

    public enum Ending: Sendable, Equatable { case exited(Int32), signalled(Int32), timedOut, cancelled, notStarted }
}
