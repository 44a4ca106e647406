import Foundation

/// Checks a journal without decoding its events: each line's hash over its exact bytes, the seq
/// sequence and the prev links. Reads only; names the first bad line.
public struct VerifyReport: Sendable, Equatable {
    public var lines: Int
    public var bytes: Int
    public var head: String
    public var problem: Problem?

    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public var ok: Bool { problem == nil }
}
