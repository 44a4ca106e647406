import Foundation

/// Bad input that is not tied to a file position (unknown item id, missing reason, …). Exit code 2.
/// What to do about it, when the core knows, is data (`remedies`), worded by each front end.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var remedies: [Remedy]
    public init(_ message: String, remedies: [Remedy] = []) {
        self.message = message
        self.remedies = remedies
    }
    public var description: String { message }
}
