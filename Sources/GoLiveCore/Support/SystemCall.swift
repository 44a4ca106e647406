import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place GoLive talks to the kernel about files. Every call retries EINTR (a signal
/// arriving mid-call, e.g. the cockpit's SIGWINCH, is not a failure) and captures errno at once.
/// The names differ from libc's so that nothing here calls itself by accident.
public enum SystemCall {
    /// The only strerror in GoLive.
    public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Runs `call` until it stops failing with EINTR; any other failure (-1) throws with its errno.
    @discardableResult
    public static func retrying<T: BinaryInteger>(_ action: @autoclosure () -> String, _ call: () -> T) throws -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(action: action(), code: code)
        }
    }

    /// How this process's heaps grow. malloc takes memory from the kernel 8 MB beyond what it
    /// needs at a time, and gives back only what lies beyond that. By default it grew each heap in
    /// small steps, and each thread's step is an mprotect, which holds the process's memory map against the other thread's page
    /// faults: `status` at 8,000 items spent a tenth of its time there (46.0 → 41.1 ms, issue 30).
    /// A long-lived process (the cockpit, the store agent) keeps at most that much freed memory
    /// per heap. Called before any thread starts.
    ///
    /// The main heap is also asked for transparent huge pages (as each thread's is when it
    /// starts, `adviseThisThreadsHeapHuge`): a command reading every item's state spent a fifth
    /// of its time in page faults, each 4 KB zeroed and mapped apart. `status` at 8,000 items
    /// 42.9 → 38.0 ms (issue 30); peak memory 48 → 55 MB.
    public static func setUpHeaps() {
        _ = golive_heap_top_pad(8 << 20)
        golive_advise_main_heap_huge()
    }

    /// This thread's heap asked for transparent huge pages (see `setUpHeaps`).
    static func adviseThisThreadsHeapHuge() { golive_advise_thread_heap_huge() }

    public static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        try retrying("cannot open \(path)") { open(path, flags | O_CLOEXEC, mode) }
    }

    /// nil when the file does not exist; any other failure throws.
    public static func openIfPresent(_ path: String, _ flags: Int32 = O_RDONLY) throws -> Int32? {
        do {
            return try openFile(path, flags)
        } catch let error as SystemCallError where error.code == ENOENT {
            return nil
        }
    }

    /// Closing is not retried: on Linux the descriptor is gone even when close reports EINTR.
    public static func closeFile(_ fd: Int32) { _ = close(fd) }

    /// Reads up to `count` bytes into `buffer + offset`; 0 at end of file.
    public static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        try retrying("cannot read \(path)") { read(fd, buffer.baseAddress!, buffer.count) }
    }

    /// Exactly `count` bytes at `offset`, or an error naming the short read.
    public static func readExactly(_ fd: Int32, count: Int, at offset: Int, path: String) throws -> [UInt8] {
        // Not zeroed first: every byte is read over, or the call throws.
        var bytes = [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var done = 0
        while done < count {
            let n = try bytes.withUnsafeMutableBytes { raw in
                try retrying("cannot read \(path)") { pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done)) }
            }
            if n == 0 { throw SystemCallError(action: "cannot read \(path): it ended at byte \(offset + done), expected \(offset + count)", code: EIO) }
            done += n
        }
        return bytes
    }

    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var written = 0
        while written < bytes.count {
            written += try retrying("cannot write \(path)") { write(fd, bytes.baseAddress! + written, bytes.count - written) }
        }
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Writes all of `bytes` to a connected socket. A peer that went away is an error (EPIPE), not
    /// a SIGPIPE that kills golive mid-command: an ssh-agent may close on us at any moment.
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                sent += try retrying("cannot write to \(path)") { send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    /// `count` bytes of `source` from `offset` appended to `target` at its position, copied by the
    /// kernel (no pass through this process's memory); read and written here where the file
    /// system cannot (copy_file_range refused), as they would be anyway.
    public static func copyRange(from source: Int32, at offset: Int, count: Int, to target: Int32, path: String) throws {
        var from = Int64(offset), copied = 0
        while copied < count {
            let n = copy_file_range(source, &from, target, nil, count - copied, 0)
            if n > 0 { copied += n; continue }
            if n < 0, errno == EINTR { continue }
            if n == 0 { throw SystemCallError(action: "cannot copy from \(path): it ended early", code: EIO) }
            guard [EXDEV, ENOSYS, EOPNOTSUPP, EINVAL, EBADF].contains(errno) else { throw SystemCallError(action: "cannot copy from \(path)", code: errno) }
            let rest = try readExactly(source, count: count - copied, at: Int(from), path: path)
            try writeAll(target, rest, path: path)
            return
        }
    }

    public static func syncFile(_ fd: Int32, path: String) throws {
        try retrying("cannot flush \(path) to disk (fsync)") { fsync(fd) }
    }

    /// What an open file is (type, owner, size): asked of the descriptor, never of a path that
    /// could be swapped for a link in between.
    public static func status(_ fd: Int32, path: String) throws -> stat {
        var info = stat()
        _ = try retrying("fstat \(path)") { fstat(fd, &info) }
        return info
    }

    /// What is at `path` itself, a link never followed (nil when nothing is there).
    public static func linkStatus(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// What `path` names, links followed (nil when nothing is there).
    public static func targetStatus(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// Best effort: a mode that cannot be set leaves the file as it was.
    public static func changeMode(_ path: String, _ mode: mode_t) { _ = chmod(path, mode) }

    /// A small regular file read whole, never through a link (O_NOFOLLOW; a FIFO is not waited
    /// on): nil when it is absent, a link, not a regular file, or over `limit` bytes.
    public static func readRegularFile(_ path: String, limit: Int) -> (bytes: [UInt8], info: stat)? {
        guard let fd = try? openIfPresent(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) else { return nil }
        defer { closeFile(fd) }
        guard let info = try? status(fd, path: path), (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= limit,
              let bytes = try? readExactly(fd, count: Int(info.st_size), at: 0, path: path) else { return nil }
        return (bytes, info)
    }

    public static func sizeOf(_ fd: Int32, path: String) throws -> Int {
        Int(try retrying("cannot find the size of \(path)") { lseek(fd, 0, SEEK_END) })
    }

    public static func seek(_ fd: Int32, to offset: Int, path: String) throws {
        try retrying("cannot seek in \(path)") { lseek(fd, off_t(offset), SEEK_SET) }
    }

    public static func truncateFile(_ fd: Int32, to length: Int, path: String) throws {
        try retrying("cannot truncate \(path)") { ftruncate(fd, off_t(length)) }
    }

    public static func renameFile(_ from: String, to: String) throws {
        try retrying("cannot rename \(from) to \(to)") { rename(from, to) }
    }

    public static func removeFile(_ path: String) { _ = unlink(path) }

    /// Waits until `fd` has bytes to read (or its peer hung up); false when `milliseconds` passed first.
    public static func waitReadable(_ fd: Int32, milliseconds: Int, path: String) throws -> Bool {
        var polled = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, milliseconds)) * 1_000_000
        while true {
            let left = Int32(clamping: Int((Int64(deadline) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1_000_000))
            let n = poll(&polled, 1, max(0, left))
            if n > 0 { return true }
            if n == 0 { return false }
            let code = errno
            if code != EINTR { throw SystemCallError(action: "cannot wait on \(path)", code: code) }
        }
    }

    /// A connected stream socket to the Unix socket at `path` (an ssh-agent's SSH_AUTH_SOCK).
    public static func connectUnixSocket(_ path: String) throws -> Int32 {
        var address = try unixAddress(path, action: "connect to")
        return try unixSocket(path) { fd in
            _ = try retrying("cannot connect to \(path)") {
                withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            }
        }
    }

    /// A new Unix stream socket after `setUp` (closed when it throws).
    static func unixSocket(_ path: String, _ setUp: (Int32) throws -> Void) throws -> Int32 {
        let fd = try retrying("cannot open a socket for \(path)") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do {
            try setUp(fd)
        } catch {
            closeFile(fd)
            throw error
        }
        return fd
    }

    /// A listening Unix socket at `path` that only its owner may connect to (mode 0600, set
    /// before it listens). `path` must not exist.
    public static func listenUnixSocket(_ path: String) throws -> Int32 {
        var address = try unixAddress(path, action: "listen on")
        return try unixSocket(path) { fd in
            _ = try retrying("cannot bind \(path)") {
                withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            }
            _ = try retrying("cannot set the mode of \(path)") { chmod(path, 0o600) }
            _ = try retrying("cannot listen on \(path)") { listen(fd, 64) }
        }
    }

    static func unixAddress(_ path: String, action: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SystemCallError(action: "cannot \(action) \(path) (a socket path must be shorter than 108 bytes)", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return address
    }

    /// The next connection on a listening socket.
    public static func acceptConnection(_ fd: Int32, path: String) throws -> Int32 {
        try retrying("cannot accept on \(path)") { accept4(fd, nil, nil, Int32(SOCK_CLOEXEC.rawValue)) }
    }

    /// One environment variable as the process has it now (getenv(3)), without Foundation's
    /// dictionary of them all.
    public static func environmentVariable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// The path with every link and `..` resolved (realpath(3)); nil when it does not exist.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The user id of the process at the other end of a Unix socket, as the kernel vouches for it.
    public static func peerUserID(_ fd: Int32) -> uid_t? {
        // struct ucred: pid, uid, gid.
        var credentials: (Int32, UInt32, UInt32) = (0, 0, 0)
        var size = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0 else { return nil }
        return credentials.1
    }

    /// Sends up to three of this process's descriptors over a Unix socket (with one byte).
    public static func sendDescriptors(_ socket: Int32, _ fds: [Int32], path: String) throws {
        _ = try retrying("cannot send to \(path)") { fds.withUnsafeBufferPointer { golive_send_descriptors(socket, $0.baseAddress, Int32($0.count)) } }
    }

    /// The descriptors sent with the next byte on a Unix socket (close-on-exec); nil when the
    /// peer closed first.
    public static func receiveDescriptors(_ socket: Int32, max: Int, path: String) throws -> [Int32]? {
        var fds = [Int32](repeating: -1, count: max)
        while true {
            let n = fds.withUnsafeMutableBufferPointer { golive_receive_descriptors(socket, $0.baseAddress, Int32(max)) }
            if n == -2 { return nil }
            if n >= 0 { return Array(fds.prefix(Int(n))) }
            let code = errno
            if code != EINTR { throw SystemCallError(action: "cannot receive from \(path)", code: code) }
        }
    }

    /// Gives the file `bytes` of real disk blocks (not a sparse hole), or fails with ENOSPC.
    public static func allocate(_ fd: Int32, bytes: Int, path: String) throws {
        let code = posix_fallocate(fd, 0, off_t(bytes))  // returns the error; errno is not set
        if code != 0 { throw SystemCallError(action: "cannot allocate \(bytes) bytes for \(path)", code: code) }
    }

    public static func lockFile(_ fd: Int32, _ operation: Int32, path: String) throws {
        try retrying("cannot lock \(path)") { flock(fd, operation) }
    }

    /// Makes a rename or a new file in `directory` durable. Best effort: some filesystems refuse it.
    public static func syncDirectory(_ directory: String) {
        guard let fd = try? openFile(directory, O_RDONLY | O_DIRECTORY) else { return }
        _ = try? syncFile(fd, path: directory)
        closeFile(fd)
    }
}
