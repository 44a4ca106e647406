import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one answer to "has this file changed, or been replaced?": its inode, size, and
/// modification and status-change times. Any write by anyone changes one of them, and the
/// status-change time cannot be set back without changing the clock. Taken of the path itself,
/// a link never followed, unless asked.
public struct FileIdentity: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int
    let modified: [Int]
    let statusChanged: [Int]
    let mode: UInt32
    let owner: UInt32

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int(st.st_size)
        modified = [Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
        statusChanged = [Int(st.st_ctim.tv_sec), Int(st.st_ctim.tv_nsec)]
        mode = UInt32(st.st_mode)
        owner = UInt32(st.st_uid)
    }

    /// nil when nothing is at `path`.
    public static func of(_ path: String, followingLinks: Bool = false) -> FileIdentity? {
        (followingLinks ? SystemCall.targetStatus(path) : SystemCall.linkStatus(path)).map(FileIdentity.init)
    }

    /// Of an open file: what was opened, not what the path names now.
    public static func of(fd: Int32, path: String) throws -> FileIdentity { FileIdentity(try SystemCall.status(fd, path: path)) }

    public var isLink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }
    public var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    /// Owned by whoever runs golive, and writable by no one else.
    public var isOwnedByUsAlone: Bool { owner == geteuid() && mode & 0o022 == 0 }
}
