import Foundation
import GoLiveCore

/// What the reducer asks the runtime to do. Only `perform` changes anything, and the core decides it.
public enum Effect: Equatable, Sendable {
    /// `expecting`: what the person was shown; the core refuses if it no longer holds.
    case perform(GoLiveCore.Command, success: String, expecting: SeenState? = nil)
    /// Journal the verdict the operator is now looking at.
    case recordVerdict
    case export(ExportFormat, path: String)
    case runProbe(String)
    case cancelProbe
    /// A canary action that moves traffic: its hook runs in the background.
    case performCanary(CanaryAction, success: String, expecting: SeenState? = nil)
    /// Ask the core, on fresh state, why this would be refused; nothing is performed or written.
    /// The answer is shown: a key that cannot act says why instead of trying.
    case explain(GoLiveCore.Command)
    case quit
}
