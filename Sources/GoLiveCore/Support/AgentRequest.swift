/// What a command sends the store agent (`golive store agent`): the golive build it runs, its
/// arguments, environment and working folder. On the wire, each text is 4 bytes of length
/// (big-endian) and its UTF-8; the arguments and the environment's entries are each preceded by
/// their count. Not JSON: Foundation's JSONDecoder was a twentieth of what the agent spent on a
/// write (issue 30), and the agent and its commands are always the same build.
public struct AgentRequest: Equatable, Sendable {
    /// The golive binary the command runs (device, inode, size, modification time): an agent
    /// started from another build declines, so that a command is never served by other code.
    public var build: String
    public var arguments: [String]
    /// In `environ`'s order; a later entry of a name wins (`variables`), as in a dictionary built from it.
    public var environment: [(name: String, value: String)]
    public var directory: String

    public init(build: String, arguments: [String], environment: [(name: String, value: String)], directory: String) {
        self.build = build
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }

    public static func == (a: AgentRequest, b: AgentRequest) -> Bool {
        a.build == b.build && a.arguments == b.arguments && a.directory == b.directory
            && a.environment.map(\.name) == b.environment.map(\.name) && a.environment.map(\.value) == b.environment.map(\.value)
    }

    /// The environment as the command's process would read it.
    public var variables: [String: String] {
        var variables: [String: String] = [:]
        variables.reserveCapacity(environment.count)
        for entry in environment { variables[entry.name] = entry.value }
        return variables
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        func number(_ n: Int) { out += [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)] }
        func text(_ t: String) {
            number(t.utf8.count)
            out += t.utf8
        }
        text(build)
        text(directory)
        number(arguments.count)
        arguments.forEach(text)
        number(environment.count)
        for entry in environment {
            text(entry.name)
            text(entry.value)
        }
        return out
    }

    /// The request in `bytes`, or nil when they are not exactly one (short, too long, a length
    /// past the end, text that is not UTF-8).
    public init?(bytes: [UInt8]) {
        var at = 0
        func number() -> Int? {
            guard bytes.count - at >= 4 else { return nil }
            defer { at += 4 }
            return Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        func text() -> String? {
            guard let count = number(), bytes.count - at >= count else { return nil }
            defer { at += count }
            return String(validating: bytes[at..<at + count], as: UTF8.self)
        }
        // A count is never trusted for room: each entry it names is read, or the request refused.
        guard let build = text(), let directory = text(), let argumentCount = number() else { return nil }
        var arguments: [String] = []
        for _ in 0..<argumentCount {
            guard let argument = text() else { return nil }
            arguments.append(argument)
        }
        guard let entryCount = number() else { return nil }
        var environment: [(name: String, value: String)] = []
        for _ in 0..<entryCount {
            guard let name = text(), let value = text() else { return nil }
            environment.append((name, value))
        }
        guard at == bytes.count else { return nil }
        self.init(build: build, arguments: arguments, environment: environment, directory: directory)
    }
}
