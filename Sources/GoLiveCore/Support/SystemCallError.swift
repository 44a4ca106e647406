import Foundation

/// A system call that failed. errno is read on the line after the call, before anything else can
/// overwrite it, and the message names what was being done to which file.
public struct SystemCallError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being attempted, e.g. "cannot open /srv/store/journal.jsonl".
    public var action: String
    public var code: Int32

    public init(action: String, code: Int32) {
        self.action = action
        self.code = code
    }

    public var description: String { "\(action): \(SystemCall.describe(code))" }
}
