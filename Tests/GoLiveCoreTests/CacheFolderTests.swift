import Foundation
import Testing
@testable import GoLiveCore

/// The parsed configurations and the agents' sockets live in one folder, by one rule.
@Suite struct CacheFolderTests {
    @Test func theFolderIsTheSameWhicheverFormAsks() {
        let cwd = FileManager.default.currentDirectoryPath
        let cases: [([String: String], String)] = [
            (["GOLIVE_CACHE": "/c/", "XDG_CACHE_HOME": "/x", "HOME": "/h"], "/c"),
            (["GOLIVE_CACHE": "", "XDG_CACHE_HOME": "/x", "HOME": "/h"], "/x/golive"),
            (["XDG_CACHE_HOME": "", "HOME": "/h"], "/h/.cache/golive"),
            (["GOLIVE_CACHE": "rel/cache", "HOME": "/h"], cwd + "/rel/cache"),
        ]
        for (environment, expected) in cases {
            #expect(CacheFolder.basePath { environment[$0] } == expected, "\(environment)")
            #expect(CacheFolder.base(environment: environment).path == expected, "\(environment)")
            #expect(ParsedConfigCache.defaultFolder { environment[$0] }.path == expected + "/parsed", "\(environment)")
        }
    }
}
