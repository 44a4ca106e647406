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
    /// Sanitised: no escape sequence from data reaches a terminal. Without the remedies.
    public var message: String
    /// What the person can do, as data: each front end words it (`text(wording:)`).
    public var remedies: [Remedy] = []

    public var exitCode: Int32 { kind == .refused ? 1 : 2 }

    /// The message with each remedy in a front end's words.
    public func text(wording: (Remedy) -> String) -> String {
        ([message] + remedies.map { SafeText.sanitize(wording($0)) }).joined(separator: "; ")
    }

    /// The line the CLI prints on stderr, its remedies in the CLI's words.
    public func commandLineText(wording: (Remedy) -> String) -> String {
        let text = text(wording: wording)
        switch kind {
        case .refused: return "golive: \(text)"
        case .badInput: return "golive: error: \(text)"
        case .located: return text
        }
    }

    /// nil for errors GoLive does not own (the argument parser's), which their owner reports.
    public static func of(_ error: Error) -> ErrorReport? {
        switch error {
        case let refusal as Refusal: return ErrorReport(kind: .refused, message: SafeText.sanitize(refusal.description), remedies: refusal.remedies)
        case let input as InputError: return ErrorReport(kind: .badInput, message: SafeText.sanitize(input.message), remedies: input.remedies)
        case let notApplied as HookNotApplied: return ErrorReport(kind: .refused, message: SafeText.sanitize(notApplied.description))
        case let located as ConfigError: return ErrorReport(kind: .located, message: SafeText.sanitize(located.description))
        case is StoreError, is SystemCallError, is ChildProcess.StartError:
            return ErrorReport(kind: .badInput, message: SafeText.sanitize("\(error)"))
        default: return nil
        }
    }

    /// For logs and records, where every error must be said somehow and no one acts on advice:
    /// without the remedies, which only a front end words.
    public static func describe(_ error: Error) -> String {
        of(error)?.message ?? SafeText.sanitize("\(error)")
    }
}
