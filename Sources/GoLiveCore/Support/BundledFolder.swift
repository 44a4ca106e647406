import Foundation

/// Finds a folder GoLive ships beside its binary (`sample-data`, `themes`): under $GOLIVE_HOME,
/// beside the executable or one of its ancestors (also as `share/golive/<folder>`), or in the
/// source tree it was built from.
public enum BundledFolder {
    public static func locate(_ folder: String, marker: String) throws -> URL {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["GOLIVE_HOME"] {
            candidates.append(URL(fileURLWithPath: home).appendingPathComponent(folder))
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent(folder))
            candidates.append(dir.appendingPathComponent("share/golive").appendingPathComponent(folder))
            dir = dir.deletingLastPathComponent()
        }
        if let root = sourceRoot(of: compiledFrom) { candidates.append(root.appendingPathComponent(folder)) }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) {
            return candidate
        }
        throw InputError("cannot find the \(folder) folder; set GOLIVE_HOME to the GoLive checkout")
    }

    /// Where this file was when it was compiled.
    public static let compiledFrom = #filePath

    /// The checkout this file was compiled from: the first ancestor holding Package.swift, so the
    /// answer survives this file moving between folders.
    public static func sourceRoot(of file: String) -> URL? {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
