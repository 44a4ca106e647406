import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// An export or a saved file into a folder that is not there: the error names the file asked
/// for, not the temp file beside it (the cockpit said "cannot open /x/.report.md.tmp-…").
@Suite struct DurableFileTests {
    @Test func aMissingFolderIsNamedWithTheFileAskedFor() throws {
        let folder = TestFolder.make("durable-file").appendingPathComponent("missing")
        let target = folder.appendingPathComponent("report.md")
        do {
            try DurableFile.write(Array("x".utf8), to: target)
            Issue.record("a file was written into a folder that does not exist")
        } catch let error as SystemCallError {
            #expect("\(error)" == "cannot write \(target.path): No such file or directory")
            #expect(!"\(error)".contains(".tmp-"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    /// A save copies the pieces of state.json it keeps with copy_file_range, and reads and
    /// writes them itself where the kernel refuses (here: a target opened to append, EBADF).
    @Test func aRangeCopiedByTheKernelOrByHandIsTheSameBytes() throws {
        let folder = TestFolder.make("copy-range")
        let source = folder.appendingPathComponent("source")
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        try Data(bytes).write(to: source)
        let from = try SystemCall.openFile(source.path, O_RDONLY)
        defer { SystemCall.closeFile(from) }
        for (name, flags) in [("kernel", O_WRONLY | O_CREAT), ("by hand", O_WRONLY | O_CREAT | O_APPEND)] {
            let target = folder.appendingPathComponent(name)
            let to = try SystemCall.openFile(target.path, flags)
            try SystemCall.writeAll(to, Array("head".utf8), path: target.path)
            try SystemCall.copyRange(from: from, at: 1_000, count: 150_000, to: to, path: source.path)
            try SystemCall.writeAll(to, Array("tail".utf8), path: target.path)
            SystemCall.closeFile(to)
            #expect(Array(try Data(contentsOf: target)) == Array("head".utf8) + Array(bytes[1_000..<151_000]) + Array("tail".utf8), "\(name)")
        }
        // A source that ends before the range does: an error, not a short file.
        let to = try SystemCall.openFile(folder.appendingPathComponent("short").path, O_WRONLY | O_CREAT)
        defer { SystemCall.closeFile(to) }
        #expect(throws: SystemCallError.self) { try SystemCall.copyRange(from: from, at: 190_000, count: 20_000, to: to, path: source.path) }
    }
}
