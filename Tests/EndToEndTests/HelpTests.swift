import Foundation
import Testing
import GoLiveTestSupport

/// Every help page, compared whole with its reviewed text in Snapshots/: a changed flag, a lost
/// example or a line that wraps badly shows up as a diff, not as a `contains` that still passes.
/// `GOLIVE_RECORD_SNAPSHOTS=1 swift test --filter HelpTests` rewrites them for review.
@Suite struct HelpTests {
    static let dir = CLI.repoRoot.appendingPathComponent("Tests/EndToEndTests/Snapshots")

    /// The subcommand names a help page lists under SUBCOMMANDS.
    static func subcommands(in help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { return [] }
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  See "), let word = line.split(separator: " ").first else { return nil }
            return String(word)
        }
    }

    @Test func everyHelpPageMatchesItsReviewedText() throws {
        var pending: [[String]] = [[]]
        var pages = 0
        while let path = pending.popLast() {
            try #require(path.count <= 3, "help pages nest deeper than golive's commands: \(path)")
            let result = try CLI.run(path + ["--help"])
            #expect(result.code == 0, "golive \(path.joined(separator: " ")) --help exited \(result.code)")
            let name = (["help"] + path).joined(separator: "-")
            check(name, result.out)
            pages += 1
            pending += Self.subcommands(in: result.out).map { path + [$0] }
        }
        #expect(pages >= 25, "walked only \(pages) help pages")
        let recorded = try FileManager.default.contentsOfDirectory(atPath: Self.dir.path).filter { $0.hasPrefix("help") }
        #expect(recorded.count == pages, "Snapshots/ holds help pages of commands that no longer exist")
    }

    @Test func noProseLineIsWiderThanEightyColumns() throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.dir.path) where file.hasPrefix("help") {
            let text = try String(contentsOf: Self.dir.appendingPathComponent(file), encoding: .utf8)
            // The argument parser writes USAGE on one line of its own making; the prose is ours.
            for line in text.split(separator: "\n") where !line.hasPrefix("USAGE:") { #expect(line.count <= 80, "\(file): \(line)") }
        }
    }

    func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = Self.dir.appendingPathComponent("\(name).txt")
        let record = ProcessInfo.processInfo.environment["GOLIVE_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: Self.dir, withIntermediateDirectories: true)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name); review it and run again", sourceLocation: sourceLocation)
            return
        }
        #expect(text == expected, "\(name) differs from Snapshots/\(name).txt", sourceLocation: sourceLocation)
    }
}
