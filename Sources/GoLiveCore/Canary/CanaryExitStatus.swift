import Foundation

/// The exit codes a script branches on, one table for `golive wait` and `golive canary status`
/// (modelled on `gh`'s documented codes). 1 and 2 keep their meaning across every command.
public enum CanaryExitStatus: Int32, Sendable, CaseIterable {
    /// wait: the target was reached. canary status: live and healthy, nothing waits on a person.
    case ok = 0
    /// Refused: the configuration changed outside the journal, so no verdict on it is the adopted one.
    case refused = 1
    /// Bad input, or a store that cannot be read (as for every command).
    case badInput = 2
    /// The canary is held or rolled back.
    case heldOrRolledBack = 3
    /// wait: the timeout passed first.
    case timedOut = 4
    /// canary status: waiting for a person (planned, shadow served, an approval or decision due).
    case waitingForPerson = 5
    /// canary status: live with an alert (a block fired, the gate was lost, a decision overdue,
    /// an unknown hook outcome).
    case degraded = 6
    /// canary status: completed.
    case done = 7

    public static let table = """
    Exit codes (golive wait and golive canary status):
      0  wait: reached; status: active (live, nothing waits on a person)
      1  refused: the configuration changed outside the journal
      2  bad input, or a store that cannot be read
      3  held or rolled back
      4  wait: timed out
      5  status: waiting for a person (planned, shadow served, a decision due)
      6  status: degraded (block, gate lost, decision overdue, unknown outcome)
      7  status: completed
    """

    /// The canary's standing as `golive canary status` reports it; refused when the configuration
    /// on disk is not the adopted one.
    public static func of(_ readiness: Readiness, _ overview: CanaryOverview) -> CanaryExitStatus {
        readiness.configurationChange != nil ? .refused : of(overview)
    }

    public static func of(_ overview: CanaryOverview) -> CanaryExitStatus {
        // Nobody knows where traffic is: degraded whatever the stage says.
        if overview.pendingUnknown { return .degraded }
        switch overview.stage {
        case .completed: return .done
        case .held, .rolledBack: return .heldOrRolledBack
        case .planned: return .waitingForPerson
        case .shadow, .canary:
            if overview.alerts.contains(where: { $0.kind != .inFlight }) { return .degraded }
            if overview.pending != nil { return .ok }
            let shadowServed = overview.shadowServed.map { $0 >= (overview.shadowNeeded ?? 0) } ?? true
            // At a step with one to go, or in shadow with its minimum served: a person decides next.
            if overview.next != nil && shadowServed { return .waitingForPerson }
            if overview.stage == .canary && overview.next == nil { return .waitingForPerson }
            return .ok
        }
    }
}
