import Foundation

/// A guard or permission said no. The reason is journaled before this is thrown.
public struct Refusal: Error, CustomStringConvertible, Sendable {
    /// What a front end may do about a refusal besides showing it, so that none reads its words.
    public enum Code: String, Sendable, Equatable {
        /// Refused by a rule: show the reason.
        case refused
        /// What the person confirmed is no longer what is there (SeenState): nothing was done, and
        /// the cockpit asks again with what is there now.
        case changedSinceYouLooked
    }

    public var reason: String
    public var code: Code
    public init(_ reason: String, code: Code = .refused) {
        self.reason = reason
        self.code = code
    }
    public var description: String { "refused: \(reason)" }
}
