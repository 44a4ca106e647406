import Foundation

public enum SampleData {
    /// The sample rollout, wherever the binary runs from: $GOLIVE_HOME, beside the executable's
    /// ancestors, or the source tree it was built from.
    public static func locate() throws -> URL {
        try locate(folder: "sample-data", marker: "rollout.yaml")
    }

    public static func locate(folder: String, marker: String) throws -> URL {
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
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent(folder))
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent(marker).path) {
            return c
        }
        throw InputError("cannot find the \(folder) folder; set GOLIVE_HOME to the GoLive checkout")
    }
}
