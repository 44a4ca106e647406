import Foundation
import GoLiveCore
import Logging

/// swift-log's handler for `GOLIVE_LOG=path`: one line per message, appended with O_APPEND so two
/// cockpits can share a file. The cockpit owns the terminal, so what it cannot show (a failed
/// watch, a session that did not close, a timeline it could not read) goes here.
struct FileLogHandler: LogHandler {
    let fd: Int32
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    /// Opens `path` for appending; a symlink is refused rather than followed.
    static func open(_ path: String) throws -> FileLogHandler {
        let fd = Foundation.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw InputError("GOLIVE_LOG=\(path): cannot open the log file (\(String(cString: strerror(errno)))); unset GOLIVE_LOG or point it at a writable file")
        }
        return FileLogHandler(fd: fd)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        let fields = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        // One line per message: a newline inside a refusal must not start a fake entry.
        let text = SafeText.sanitize("\(Timestamp.format(Date())) \(level) \(message)\(fields)").replacingOccurrences(of: "\n", with: " ")
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
    }
}
