import Foundation

/// This operator's cache folder: what GoLive keeps per user and may always rebuild (a shared
/// store's verified copy, parsed configurations). Never inside a store, which others may write.
public enum CacheFolder {
    /// $GOLIVE_CACHE, else $XDG_CACHE_HOME/golive, else ~/.cache/golive.
    public static func base(environment: [String: String]) -> URL { base(variable: { environment[$0] }) }

    /// The same from single variables: Foundation's environment dictionary, made afresh at each
    /// ask, was 2% of a write in the store agent. One rule with `basePath` (an empty variable is
    /// no variable; a relative one is taken from the working folder).
    public static func base(variable: (String) -> String? = SystemCall.environmentVariable) -> URL {
        URL(fileURLWithPath: basePath(variable), isDirectory: true)
    }

    /// The same folder's path from single variables (`getenv`), without Foundation's URL and
    /// environment dictionary: every command asks where a store agent would be before anything
    /// else (AgentClient), and that question must cost next to nothing.
    public static func basePath(_ variable: (String) -> String? = SystemCall.environmentVariable) -> String {
        func absolute(_ path: String) -> String {
            var path = path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        }
        if let cache = variable("GOLIVE_CACHE"), !cache.isEmpty { return absolute(cache) }
        if let xdg = variable("XDG_CACHE_HOME"), !xdg.isEmpty { return absolute(xdg) + "/golive" }
        let home = variable("HOME").flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        return absolute(home) + "/.cache/golive"
    }

    /// Where a folder store's agent listens (`golive store agent`): `agents/` in this user's cache
    /// folder, named by the store's resolved path; never in the store's folder, which other users
    /// may be able to write.
    public static func agentSocket(folderStore resolved: String, variable: (String) -> String? = SystemCall.environmentVariable) -> String {
        agentsPath(variable) + "/" + String(StartupSHA256.hex(Array(resolved.utf8)).prefix(32)) + ".sock"
    }

    public static func agentsPath(_ variable: (String) -> String? = SystemCall.environmentVariable) -> String {
        basePath(variable) + "/agents"
    }
}
