import Foundation

/// A guard or permission said no. The reason is journaled before this is thrown; what the person
/// can do about it is data (`remedies`), worded by each front end.
public struct Refusal: Error, CustomStringConvertible, Sendable, Equatable, ExpressibleByStringInterpolation {
    /// What a front end may do about a refusal besides showing it, so that none reads its words.
    public enum Code: String, Sendable, Equatable {
        /// Refused by a rule: show the reason.
        case refused
        /// What the person confirmed is no longer what is there (SeenState): nothing was done, and
        /// the cockpit asks again with what is there now.
        case changedSinceYouLooked
    }

    /// Why, in the core's words, without advice on what to do (that is `remedies`).
    public var reason: String
    public var code: Code
    public var remedies: [Remedy]

    public init(_ reason: String, code: Code = .refused, remedies: [Remedy] = []) {
        self.reason = reason
        self.code = code
        self.remedies = remedies
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    /// Without its remedies: words for a log or a journal, which no front end rewords.
    public var description: String { "refused: \(reason)" }
}
