import Foundation
import GoLiveCore
import GoLivePostgres

/// The command's side of the store agent (`golive store agent`): when one serves the command's
/// store on this machine, the command line, environment, working folder and standard
/// descriptors go to it, and its exit code comes back. Without an agent, or one that declines,
/// the command runs in this process as always; the outcome is the same either way.
enum AgentClient {
    /// The commands an agent may serve: quick ones that read and record. The levers (hold,
    /// rollback) never wait on an agent: they always act in their own process.
    /// An array, not a Set: a Set<String> is the first use of its generic type in the client's
    /// process, and the Swift runtime's search for its conformances was a tenth of asking.
    static let served: [String] = ["item", "waive", "signoff", "status", "gate"]

    /// The exit code of the command as the agent ran it, or nil to run it here. Asked by every
    /// command before anything else: without an agent it costs a path resolved and a stat.
    static func run(_ arguments: [String]) -> Int32? {
        guard let name = arguments.first, served.contains(name), !arguments.contains(where: CommandDispatch.asksForHelp.contains),
              let path = socketPath(storeText(arguments, variable: SystemCall.environmentVariable), variable: SystemCall.environmentVariable,
                                    environment: { ProcessInfo.processInfo.environment }),
              SystemCall.linkStatus(path) != nil, let socket = try? SystemCall.connectUnixSocket(path) else { return nil }
        defer { SystemCall.closeFile(socket) }
        // Only an agent of this user's: the kernel names who listens (a socket is only a name).
        guard SystemCall.peerUserID(socket) == geteuid() else { return nil }
        let body = AgentRequest(build: StoreAgent.buildIdentity(), arguments: arguments, environment: environmentEntries(),
                                directory: FileManager.default.currentDirectoryPath).bytes
        guard (try? SystemCall.sendDescriptors(socket, [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO], path: path)) != nil,
              (try? SystemCall.sendAll(socket, AgentFrame.framed(body), path: path)) != nil,
              // An agent busy with another command, or stopped, is not waited for: the command runs here.
              (try? SystemCall.waitReadable(socket, milliseconds: 2000, path: path)) == true,
              let answer = try? AgentFrame.readExactly(socket, 1, path: path) else { return nil }
        switch answer.first {
        case AgentFrame.accepted:
            // Only now is the command the agent's: an agent that was given up on never runs it.
            guard (try? SystemCall.sendAll(socket, [AgentFrame.go], path: path)) != nil else { return nil }
            guard let code = try? AgentFrame.readExactly(socket, 4, path: path) else {
                tellPerson("the store agent at \(path) went away while running this command: whether it wrote is unknown. Run `golive status` before repeating it")
                return 1
            }
            return Int32(bitPattern: AgentFrame.number(code))
        case AgentFrame.declined:
            if let why = try? AgentFrame.readFrame(socket, path: path) { tellPerson("the store agent at \(path) declined (\(String(decoding: why, as: UTF8.self))); running here") }
            return nil
        default:
            return nil
        }
    }

    /// Where an agent for this store would listen: in this machine's copy of a PostgreSQL store,
    /// in this user's cache folder for a folder store (see StoreAgent). `variable` reads one
    /// variable of the command's environment; `environment` gives all of it, asked only for a
    /// PostgreSQL address (which reads its variables from a dictionary).
    static func socketPath(_ text: String, variable: (String) -> String?, environment: () -> [String: String]) -> String? {
        if PostgresAddress.isAddress(text) {
            let environment = environment()
            return (try? PostgresAddress(text, environment: environment)).map { StoreAgent.socketPath($0.copyFolder(environment: environment)) }
        }
        return SystemCall.resolvedPath(text).map { CacheFolder.agentSocket(folderStore: $0, variable: variable) }
    }

    /// This process's environment as `environ` holds it, in order (a later entry of a name wins, as
    /// in a dictionary built from it).
    static func environmentEntries() -> [(name: String, value: String)] {
        var entries: [(name: String, value: String)] = []
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { entries.append((String(text[..<eq]), String(text[text.index(after: eq)...]))) }
            p += 1
        }
        return entries
    }

    /// The store a command line names before it is parsed: `--store` as it gives it (either
    /// spelling), else $GOLIVE_STORE, else ./.golive, as `StoreOptions.storeText` once parsed.
    static func storeText(_ arguments: [String], variable: (String) -> String?) -> String {
        var found: String?
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let a = arguments[i]
            if a == "--" { break }
            if a == "--store", i + 1 < arguments.endIndex {
                found = arguments[i + 1]
                i += 1
            } else if a.hasPrefix("--store=") {
                found = String(a.dropFirst("--store=".count))
            }
            i += 1
        }
        return found ?? variable("GOLIVE_STORE") ?? StoreOptions.defaultStore
    }
}

/// The agent's socket protocol: length-prefixed frames, and one byte saying whether it runs the command.
enum AgentFrame {
    static let accepted: UInt8 = 0x41   // "A", then 4 bytes: the exit code
    static let declined: UInt8 = 0x44   // "D", then a frame: why
    static let go: UInt8 = 0x47         // "G": the command's answer to "A"; the agent runs it only then
    static let largest = 4 << 20

    static func framed(_ body: [UInt8]) -> [UInt8] { bytes(UInt32(body.count)) + body }

    /// A number on the wire: 4 bytes, big-endian (a frame's length, an exit code).
    static func bytes(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    static func number(_ bytes: [UInt8]) -> UInt32 { bytes.reduce(0) { $0 << 8 | UInt32($1) } }

    static func readFrame(_ fd: Int32, path: String) throws -> [UInt8] {
        let size = Int(number(try readExactly(fd, 4, path: path)))
        guard size <= largest else { throw SystemCallError(action: "a frame of \(size) bytes on \(path) is larger than \(largest)", code: EMSGSIZE) }
        return try readExactly(fd, size, path: path)
    }

    /// Exactly `count` bytes from a socket; an error when the peer closes first.
    static func readExactly(_ fd: Int32, _ count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = try bytes.withUnsafeMutableBytes { raw in
                try SystemCall.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]), path: path)
            }
            if n == 0 { throw SystemCallError(action: "\(path) closed after \(done) of \(count) bytes", code: ECONNRESET) }
            done += n
        }
        return bytes
    }
}
