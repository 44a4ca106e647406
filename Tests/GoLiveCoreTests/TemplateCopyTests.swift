import Foundation
import Testing
@testable import GoLiveCore

/// The copy itself never follows a link out of the source, even when the folder changed after
/// the check that ran before anything was read (a link planted in between).
@Suite struct TemplateCopyTests {
    @Test func theCopyFollowsNoLinkOutOfTheSource() throws {
        let source = Fixtures.tempDir("template")
        let secret = Fixtures.tempDir("elsewhere").appendingPathComponent("id_ed25519")
        try Data("PRIVATE KEY".utf8).write(to: secret)
        try Data("inside".utf8).write(to: source.appendingPathComponent("real.txt"))
        try FileManager.default.createSymbolicLink(atPath: source.appendingPathComponent("inside.txt").path, withDestinationPath: "real.txt")
        let root = source.resolvingSymlinksInPath().path
        let copy = Fixtures.tempDir("copy")
        try StoreSetup.copyBytes(from: source.appendingPathComponent("inside.txt"), to: copy.appendingPathComponent("inside.txt"), root: root, sourceFolder: source, depth: 0)
        #expect(try Data(contentsOf: copy.appendingPathComponent("inside.txt")) == Data("inside".utf8))
        try FileManager.default.createSymbolicLink(atPath: source.appendingPathComponent("key").path, withDestinationPath: secret.path)
        #expect(throws: InputError.self) {
            try StoreSetup.copyBytes(from: source.appendingPathComponent("key"), to: copy.appendingPathComponent("key"), root: root, sourceFolder: source, depth: 0)
        }
        #expect(!FileManager.default.fileExists(atPath: copy.appendingPathComponent("key").path))
    }
}
