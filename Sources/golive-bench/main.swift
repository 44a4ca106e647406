import Foundation
import GoLiveCore

// Benchmarks print tables; they are never unit tests. Run: swift run -c release golive-bench [store|ui|canary|audit] [--events N]
let args = CommandLine.arguments.dropFirst()
let golive = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("golive").path
guard FileManager.default.isExecutableFile(atPath: golive) else {
    print("build golive first: swift build -c release (looked for \(golive))")
    exit(2)
}
var events = 100_000
if let i = args.firstIndex(of: "--events"), i + 1 < args.endIndex, let n = Int(args[i + 1]) { events = n }
let which = args.first { !$0.hasPrefix("--") && Int($0) == nil } ?? "all"
if which == "all" || which == "store" {
    try storeBenchmark(items: 2_000, events: events, golive: golive)
    print("")
}
if which == "all" || which == "ui" {
    try uiBenchmark(items: 2_000)
    print("")
}
if which == "all" || which == "canary" {
    // The bench binary sits in .build/<config>/; the sample data is in the repository above it.
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    try canaryBenchmark(repoRoot: root, golive: golive)
    print("")
}
if which == "all" || which == "audit" {
    try auditBenchmark(sizes: [250_000, 1_000_000], golive: golive)
}
