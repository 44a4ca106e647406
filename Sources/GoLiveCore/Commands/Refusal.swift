import Foundation

/// A guard or permission said no. The reason is journaled before this is thrown.
public struct Refusal: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "refused: \(reason)" }
}
