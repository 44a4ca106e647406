import Foundation

/// Every temporary file a test process makes lives under one folder, removed when the process
/// exits, so a full `swift test` leaves nothing behind in the temp folder.
public enum TestFolder {
    nonisolated(unsafe) private static var registered = false
    private static let lock = NSLock()

    public static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("golive-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        lock.withLock {
            if !registered {
                registered = true
                atexit { TestFolder.removeRoot() }
            }
        }
        return url
    }()

    /// A new, empty folder named after what it is for.
    public static func make(_ name: String) -> URL {
        let url = root.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8).lowercased())")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path for a file that does not exist yet.
    public static func file(_ name: String) -> URL {
        root.appendingPathComponent("\(UUID().uuidString.prefix(8).lowercased())-\(name)")
    }

    static func removeRoot() {
        // Test stores may hold read-only folders (the permission tests make some): open them first.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("golive-tests-\(getpid())").path
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let child as String in walker { chmod(path + "/" + child, 0o755) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
