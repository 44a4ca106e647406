import Foundation

/// How an error reaches a person: the one mapping from error to words and exit code, used by the
/// CLI (stderr and exit status) and the cockpit (its message line). Exit codes are part of the
/// interface, since scripts branch on them: 1 refused or not applied, 2 bad input or a store that
/// cannot be read or written.
public struct ErrorReport: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The core said no, or the actuator did not confirm: exit 1.
        case refused
        /// A typo, a bad file, a store problem: exit 2.
        case badInput
        /// A file position error, printed as `file:line:column: error: …` like a compiler's.
        case located
    }

    public var kind: Kind
    /// Sanitised: no escape sequence from data reaches a terminal.
    public var message: String

    public var exitCode: Int32 { kind == .refused ? 1 : 2 }

    /// The line the CLI prints on stderr.
    public var commandLineText: String {
        switch kind {
        case .refused: return "golive: \(message)"
        case .badInput: return "golive: error: \(message)"
        case .located: return message
        }
    }

    /// The words the cockpit shows on its message line.
    public var cockpitText: String { message }

    /// nil for errors GoLive does not own (the argument parser's), which their owner reports.
    public static func of(_ error: Error) -> ErrorReport? {
        switch error {
        case let refusal as Refusal: return ErrorReport(kind: .refused, message: SafeText.sanitize(refusal.description))
        case let notApplied as HookNotApplied: return ErrorReport(kind: .refused, message: SafeText.sanitize(notApplied.description))
        case let located as ConfigError: return ErrorReport(kind: .located, message: SafeText.sanitize(located.description))
        case is InputError, is StoreError, is SystemCallError, is ChildProcess.StartError:
            return ErrorReport(kind: .badInput, message: SafeText.sanitize("\(error)"))
        default: return nil
        }
    }

    /// For the cockpit, where every error must be shown somehow.
    public static func describe(_ error: Error) -> String {
        of(error)?.cockpitText ?? SafeText.sanitize("\(error)")
    }
}
