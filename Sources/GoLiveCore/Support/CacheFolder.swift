import Foundation

/// This operator's cache folder: what GoLive keeps per user and may always rebuild (a shared
/// store's verified copy, parsed configurations). Never inside a store, which others may write.
public enum CacheFolder {
    /// $GOLIVE_CACHE, else $XDG_CACHE_HOME/golive, else ~/.cache/golive.
    public static func base(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        environment["GOLIVE_CACHE"].map { URL(fileURLWithPath: $0) }
            ?? environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent("golive") }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/golive")
    }
}
