import Foundation

/// Writes a whole file so that a reader sees the old content or the new, never half of it, and a
/// crash or a full disk leaves the old file in place: a temp file of our own beside the target,
/// fsync, rename over the target, fsync the directory. The temp name is random and created with
/// O_EXCL|O_NOFOLLOW, so a link planted at a guessable name cannot redirect the write.
public enum DurableFile {
    /// `flushed`: false only for a file the journal vouches for and rebuilds when it is not as
    /// committed (state.json): readers still see the old file or the new one whole, and a crash
    /// costs at most one rebuild, not a record. Its fsync grew with the file (2.8 ms of a write
    /// that saved state.json at 8,000 items).
    public static func write(to url: URL, mode: mode_t = 0o644, flushed: Bool = true, _ produce: (Int32) throws -> Void) throws {
        let directory = url.deletingLastPathComponent().path
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(Identity.randomHex(bytes: 6))").path
        let fd: Int32
        do {
            fd = try SystemCall.openFile(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode)
        } catch let error as SystemCallError {
            // The temp name is ours; the person asked for the target (a missing folder, no rights).
            throw SystemCallError(action: "cannot write \(url.path)", code: error.code)
        }
        do {
            try produce(fd)
            if flushed { try SystemCall.syncFile(fd, path: tmp) }
            SystemCall.closeFile(fd)
        } catch {
            SystemCall.closeFile(fd)
            SystemCall.removeFile(tmp)
            throw error
        }
        do {
            try SystemCall.renameFile(tmp, to: url.path)
        } catch {
            SystemCall.removeFile(tmp)
            throw error
        }
        if flushed { SystemCall.syncDirectory(directory) }
    }

    public static func write(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o644) throws {
        try write(to: url, mode: mode) { fd in try SystemCall.writeAll(fd, bytes, path: url.path) }
    }

    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
        try write(to: url, mode: mode) { fd in try data.withUnsafeBytes { try SystemCall.writeAll(fd, $0, path: url.path) } }
    }
}
