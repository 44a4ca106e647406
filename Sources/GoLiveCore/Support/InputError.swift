import Foundation

/// Bad input that is not tied to a file position (unknown item id, missing reason, …). Exit code 2.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
