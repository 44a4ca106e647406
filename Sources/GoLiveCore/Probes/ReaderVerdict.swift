import Foundation

/// What a reader concluded from a file the field's own tools wrote.
public struct ReaderVerdict: Sendable, Equatable {
    public var passed: Bool
    public var summary: String
}
