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
}
