import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way GoLive (and its bench and tests) starts another program: posix_spawn with an empty
/// signal mask, optionally in its own process group (so a timeout or a cancel kills everything it
/// started), output captured up to a limit while a SHA-256 covers all of it, a timeout, a cancel
/// check, and the child's peak memory from wait4.
///
/// Reading stops when the child exits, not when the pipe closes: a daemon it forked (tmux's
/// server, a stray `sleep &`) may hold the pipe open forever.
public final class ChildProcess {
    public enum Output: Sendable, Equatable {
        case null
        case inherit
        /// Kept in memory up to `limit` bytes; the digest and the byte count cover everything.
        case capture(limit: Int)
        /// Written to a file (created or truncated).
        case file(String)
        /// stderr only: into the same place as stdout.
        case sameAsStdout
    }

    public struct Options {
        public var environment: [String: String]?
        public var workingDirectory: String?
        public var stdout: Output = .capture(limit: 1 << 20)
        public var stderr: Output = .capture(limit: 1 << 20)
        public var ownProcessGroup = false
        /// The terminal's stdin instead of /dev/null: for a child that asks the person something
        /// (ssh-add's passphrase prompt).
        public var inheritStdin = false
        /// A file the child reads as its stdin (an alert's JSON payload).
        public var stdinFile: String?
        /// A descriptor the child reads as its stdin (the read end of a lifeline pipe).
        public var stdinDescriptor: Int32?
        public var timeoutSeconds: Double?
        public var cancelled: (@Sendable () -> Bool)?

        public init(environment: [String: String]? = nil, workingDirectory: String? = nil, stdout: Output = .capture(limit: 1 << 20),
                    stderr: Output = .capture(limit: 1 << 20), ownProcessGroup: Bool = false, timeoutSeconds: Double? = nil,
                    cancelled: (@Sendable () -> Bool)? = nil, inheritStdin: Bool = false) {
            self.inheritStdin = inheritStdin
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.stdout = stdout
            self.stderr = stderr
            self.ownProcessGroup = ownProcessGroup
            self.timeoutSeconds = timeoutSeconds
            self.cancelled = cancelled
        }
    }

    public enum Ending: Sendable, Equatable { case exited(Int32), signalled(Int32), timedOut, cancelled }

    public struct Stream: Sendable, Equatable {
        public var bytes: [UInt8] = []
        public var totalBytes = 0
        public var truncated: Bool { totalBytes > bytes.count }
        public var sha256 = Digest.sha256Hex([UInt8]())
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    public struct Result: Sendable, Equatable {
        public var ending: Ending
        public var stdout: Stream
        public var stderr: Stream
        public var seconds: Double
        public var pid: Int32
        /// The child's own peak resident memory.
        public var maxRSSKB: Int
        /// The CPU time the child used (user and system), from wait4: what a benchmark compares.
        public var cpuSeconds: Double = 0
        public var exitCode: Int32? { if case let .exited(code) = ending { return code }; return nil }
    }

    public struct StartError: Error, CustomStringConvertible, Sendable {
        public var program: String
        public var code: Int32
        /// What could not be set up for it, when it was not the start itself.
        public var step: String? = nil
        public var description: String { "cannot start \(program)\(step.map { " (\($0))" } ?? ""): \(SystemCall.describe(code))" }
    }

    public let pid: Int32
    let options: Options
    let started: UInt64
    var pipes: [(fd: Int32, limit: Int, isStdout: Bool)] = []
    var streams = (stdout: Stream(), stderr: Stream())
    var hashers = (stdout: StreamingSHA256(), stderr: StreamingSHA256())

    /// Starts `argv` (the first word is looked up in PATH unless it holds a slash).
    public init(_ argv: [String], _ options: Options = Options()) throws {
        precondition(!argv.isEmpty, "ChildProcess needs a program")
        self.options = options
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Each action is checked: one that could not be added (no memory) would start the child
        // with an output or directory other than the one asked for.
        func add(_ what: String, _ rc: Int32) throws {
            guard rc == 0 else { throw StartError(program: argv[0], code: rc, step: what) }
        }
        if let fd = options.stdinDescriptor {
            try add("stdin", posix_spawn_file_actions_adddup2(&actions, fd, 0))
        } else if let file = options.stdinFile {
            try add("stdin", posix_spawn_file_actions_addopen(&actions, 0, file, O_RDONLY | O_NOFOLLOW, 0))
        } else if !options.inheritStdin {
            try add("stdin", posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0))
        }
        var parentEnds: [(fd: Int32, limit: Int, isStdout: Bool)] = []
        var childEnds: [Int32] = []
        var spawned = false
        defer { if !spawned { parentEnds.forEach { SystemCall.closeFile($0.fd) } } }
        defer { childEnds.forEach { SystemCall.closeFile($0) } }
        func route(_ output: Output, to target: Int32) throws {
            let name = target == 1 ? "stdout" : "stderr"
            switch output {
            case .null: try add(name, posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0))
            case .inherit: break
            case let .file(path): try add(name, posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600))
            case .sameAsStdout: try add(name, posix_spawn_file_actions_adddup2(&actions, 1, target))
            case let .capture(limit):
                var fds: [Int32] = [0, 0]
                // Close-on-exec from the start: made by pipe and then marked, another thread's
                // child started in between would inherit the write end and hold the pipe open.
                try SystemCall.retrying("cannot make a pipe") { pipe2(&fds, O_CLOEXEC) }
                parentEnds.append((fds[0], limit, target == 1))
                childEnds.append(fds[1])
                try add(name, posix_spawn_file_actions_adddup2(&actions, fds[1], target))
            }
        }
        try route(options.stdout, to: 1)
        try route(options.stderr, to: 2)
        if let directory = options.workingDirectory {
            try add("working directory", posix_spawn_file_actions_addchdir_np(&actions, directory))
        }
        // A child keeps only 0–2: a descriptor another thread opened without O_CLOEXEC (a file
        // Foundation is writing, the store's lock) must not leak into a hook or a probe, where it
        // would hold the lock or make the next exec of that file fail with "Text file busy".
        if let closeFrom = Self.addCloseFrom { try add("close descriptors", closeFrom(&actions, 3)) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Test runners and the cockpit block signals on their threads; a child must not inherit that.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // Nor an ignored SIGPIPE (the store agent ignores it, and so does a process that used
        // PostgresNIO): a probe's `yes | head` would print "Broken pipe" instead of ending quietly.
        var piped = sigset_t()
        sigemptyset(&piped)
        sigaddset(&piped, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &piped)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if options.ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let words = argv
        let cArguments = words.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        if let extra = options.environment { environment = extra }
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        var child: pid_t = 0
        started = DispatchTime.now().uptimeNanoseconds
        let rc = posix_spawnp(&child, words[0], &actions, &attributes, cArguments, cEnvironment)
        guard rc == 0 else { throw StartError(program: argv[0], code: rc, step: options.workingDirectory.map { "in \($0)" }) }
        spawned = true
        pid = child
        for end in parentEnds { _ = fcntl(end.fd, F_SETFL, fcntl(end.fd, F_GETFL) | O_NONBLOCK) }
        pipes = parentEnds
    }

    /// Environment of this process with `extra` laid over it.
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, looked up at run time: Swift's Glibc
    /// module does not declare it. Without it (older libc) children inherit what they always did.
    static let addCloseFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    public static func environment(adding extra: [String: String], removing: [String] = []) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        removing.forEach { environment.removeValue(forKey: $0) }
        environment.merge(extra) { _, new in new }
        return environment
    }

    public func signal(_ signal: Int32) { _ = kill(pid, signal) }

    /// Reads output until the child ends (or the timeout or cancel stops it), then reaps it.
    public func wait() -> Result {
        var status: Int32 = 0
        var usage = rusage()
        var ending: Ending?
        var stop: Ending?
        while ending == nil {
            if pipes.isEmpty {
                if options.timeoutSeconds == nil && options.cancelled == nil {
                    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                    ending = Self.ending(status)
                    break
                }
                usleep(10_000)
            } else {
                var polled = pipes.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                _ = poll(&polled, nfds_t(polled.count), 50)
                drain()
            }
            if wait4(pid, &status, WNOHANG, &usage) == pid { ending = Self.ending(status); break }
            if let limit = options.timeoutSeconds, elapsed > limit { stop = .timedOut; break }
            if options.cancelled?() == true { stop = .cancelled; break }
        }
        if let stop {
            _ = kill(options.ownProcessGroup ? -pid : pid, SIGKILL)
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            ending = stop
        }
        drain()
        // Whatever the child left behind in its own group goes too.
        if options.ownProcessGroup { _ = kill(-pid, SIGKILL) }
        pipes.forEach { SystemCall.closeFile($0.fd) }
        pipes = []
        streams.stdout.sha256 = hashers.stdout.finalizeHex()
        streams.stderr.sha256 = hashers.stderr.finalizeHex()
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return Result(ending: ending!, stdout: streams.stdout, stderr: streams.stderr, seconds: elapsed, pid: pid, maxRSSKB: Int(usage.ru_maxrss),
                      cpuSeconds: cpu)
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    /// Reads whatever is waiting on each pipe; a pipe at end of file is closed and dropped.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var open: [(fd: Int32, limit: Int, isStdout: Bool)] = []
        for end in pipes {
            var atEnd = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(end.fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n == 0 { atEnd = true }
                if n <= 0 { break }
                buffer.withUnsafeBufferPointer { chunk in
                    let piece = UnsafeBufferPointer(rebasing: chunk[0..<n])
                    if end.isStdout { keep(piece, in: &streams.stdout, hasher: &hashers.stdout, limit: end.limit) }
                    else { keep(piece, in: &streams.stderr, hasher: &hashers.stderr, limit: end.limit) }
                }
            }
            if atEnd { SystemCall.closeFile(end.fd) } else { open.append(end) }
        }
        pipes = open
    }

    func keep(_ piece: UnsafeBufferPointer<UInt8>, in stream: inout Stream, hasher: inout StreamingSHA256, limit: Int) {
        hasher.update(piece)
        stream.totalBytes += piece.count
        let room = max(0, limit - stream.bytes.count)
        if room > 0 { stream.bytes += piece.prefix(room) }
    }

    static func ending(_ status: Int32) -> Ending {
        status & 0x7f != 0 ? .signalled(status & 0x7f) : .exited((status >> 8) & 0xff)
    }

    /// Starts and waits: the common case.
    public static func run(_ argv: [String], _ options: Options = Options()) throws -> Result {
        try ChildProcess(argv, options).wait()
    }
}
