import Foundation
import GoLiveCore

// Benchmarks print tables; they are never unit tests. Run: swift run -c release golive-bench [store|signing|ui|canary|audit] [--events N]
// Its heaps as golive's are (`golive`'s main does the same), so that what it measures in process is what golive costs.
SystemCall.setUpHeaps()
let args = CommandLine.arguments.dropFirst()
let golive = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("golive").path
guard FileManager.default.isExecutableFile(atPath: golive) else {
    print("build golive first: swift build -c release (looked for \(golive))")
    exit(2)
}
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.endIndex else { return nil }
    return args[i + 1]
}
let repoRoot = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
if args.first == "fuzz-one", let name = args.dropFirst().first {
    // The child of `fuzz`: one target, in a process of its own so that a crash is only counted.
    let target = try fuzzTargets(repoRoot: repoRoot).first { $0.name == name }!
    fuzzOne(target, execs: Int(option("--execs") ?? "") ?? 100_000, seconds: Double(option("--seconds") ?? "") ?? 60,
            seed: UInt64(option("--seed") ?? "") ?? 1, crashFile: option("--crash-file") ?? "/dev/null")
    exit(0)
}
if args.first == "fuzz" {
    let only = args.dropFirst().first { !$0.hasPrefix("--") && Double($0) == nil }
    try fuzzBenchmark(repoRoot: repoRoot, bench: CommandLine.arguments[0], only: only, execs: Int(option("--execs") ?? "") ?? 1_000_000,
                      seconds: Double(option("--seconds") ?? "") ?? 300, seed: UInt64(option("--seed") ?? "") ?? UInt64(Date().timeIntervalSince1970))
    exit(0)
}
if args.first == "append-loop" {
    // The durability tests' writer (not part of golive): appends evidence in a loop through the
    // core's one entry point and acknowledges each record only once it is fsynced, so a test can
    // kill it anywhere and check that nothing acknowledged was lost.
    guard let dir = option("--store"), let who = option("--as") else {
        print("usage: golive-bench append-loop --store DIR --as OPERATOR [--count N]")
        exit(2)
    }
    let cockpit = Cockpit(store: Store(directory: URL(fileURLWithPath: dir)))
    let actor = Actor(operatorID: who, osUser: Identity.osUser(), session: "s-append-loop-\(getpid())")
    for i in 0..<(Int(option("--count") ?? "") ?? 1_000_000) {
        let out = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "loop \(i)", url: nil), as: actor)
        FileHandle.standardOutput.write(Data("ack \(out.state.seq)\n".utf8))
    }
    exit(0)
}
var events = 100_000
if let i = args.firstIndex(of: "--events"), i + 1 < args.endIndex, let n = Int(args[i + 1]) { events = n }
let which = args.first { !$0.hasPrefix("--") && Int($0) == nil } ?? "all"
if which == "make-store", let dir = option("--dir") {
    // A generated store kept for profiling by hand: golive-bench make-store --dir D --items N --events M
    let store = try makeBigStore(at: URL(fileURLWithPath: dir), items: Int(option("--items") ?? "") ?? 2_000, events: events)
    print("made \(store.directory.path)")
    exit(0)
}
if which == "rebuild" {
    // A rebuild in process (no state.json), each beside python decoding every line and openssl
    // hashing the journal, in turn: golive-bench rebuild --dir STORE [--rounds N]
    guard let dir = option("--dir") else {
        print("usage: golive-bench rebuild --dir STORE (from golive-bench make-store)")
        exit(2)
    }
    let store = Store(directory: URL(fileURLWithPath: dir))
    let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "/usr/bin/python3"
    var rebuilds: [Double] = [], verifies: [Double] = [], pys: [Double] = [], ssl: [Double] = []
    for _ in 0..<(Int(option("--rounds") ?? "") ?? 5) {
        try? FileManager.default.removeItem(at: store.snapshotURL)
        let fresh = Store(directory: store.directory)
        rebuilds.append(try timeIt { _ = try fresh.loadState() })
        verifies.append(measure([golive, "audit", "verify", store.journalURL.path]).seconds)
        pys.append(measure([python, "-c", "import json,sys\nfor l in open(sys.argv[1],'rb'): json.loads(l)", store.journalURL.path]).seconds)
        ssl.append(measure(["openssl", "dgst", "-sha256", store.journalURL.path]).seconds)
    }
    print(String(format: "rebuild %.2f s, python json.loads %.2f s: %.2f×; audit verify %.2f s, openssl dgst %.2f s: %.1f× (medians)",
                 median(rebuilds), median(pys), median(rebuilds) / median(pys), median(verifies), median(ssl), median(verifies) / median(ssl)))
    exit(0)
}
if which == "read-state" {
    // state.json's parts timed in process, against python's json.loads of the same bytes.
    guard let dir = option("--dir") else {
        print("usage: golive-bench read-state --dir STORE (a store with a state.json: golive-bench make-store --dir STORE, then one write)")
        exit(2)
    }
    let url = URL(fileURLWithPath: dir).appendingPathComponent("state.json")
    let data = try Data(contentsOf: url)
    // Format 9: a header, the state (what the journal commits to) and the items' pieces, a line each.
    let lines = data.split(separator: 0x0a)
    let state = Array(lines[1]), pieces = lines.dropFirst(2).map { Array($0) }
    // What every command does: the state hashed and read, its items' table and revisions kept.
    let read = (0..<15).map { _ in try! timeIt { _ = try SnapshotDecoder.decodeWithoutPieces(state[...]) } }
    let digest = (0..<15).map { _ in timeIt { _ = Digest.sha256Hex(state) } }
    // What a write adds: one piece hashed and its items located; what `status` adds: all of them.
    let piece = pieces.max { $0.count < $1.count } ?? []
    let onePiece = (0..<15).map { _ in try! timeIt {
        _ = Digest.sha256Hex(piece)
        _ = try SnapshotDecoder.locateItems(inPiece: piece)
    } }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("golive-read-state-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    _ = measure([ProcessInfo.processInfo.environment["PYTHON"] ?? "python3", "-c",
                      "import json,sys,time\nls=open(sys.argv[1],'rb').read().split(b'\\n')[1:-1]\nt=time.perf_counter()\nfor _ in range(15): [json.loads(l) for l in ls]\nprint((time.perf_counter()-t)/15)", url.path], stdout: out)
    let py = (try? String(contentsOfFile: out, encoding: .utf8)) ?? "?"
    print(String(format: "state.json %.2f MB, its state %.2f MB: the state read %.2f ms (the first, cold: %.2f ms), its SHA-256 %.2f ms; the largest piece (%.0f KB) hashed and located %.2f ms; python json.loads of every line %@ s",
                 Double(data.count) / 1e6, Double(state.count) / 1e6, median(read) * 1000, read[0] * 1000, median(digest) * 1000,
                 Double(piece.count) / 1e3, median(onePiece) * 1000, py.trimmingCharacters(in: .whitespacesAndNewlines)))
    exit(0)
}
if which == "scale" {
    let sizes = (option("--sizes") ?? "1000,100000,1000000").split(separator: ",").compactMap { Int($0) }
    let items = (option("--items") ?? "2000,8000").split(separator: ",").compactMap { Int($0) }
    try scaleBenchmark(items: items, sizes: sizes, exports: args.contains("--exports"), signed: args.contains("--signed"), golive: golive)
    exit(0)
}
if which == "all" || which == "store" {
    try storeBenchmark(items: 2_000, events: events, golive: golive)
    print("")
}
if which == "all" || which == "signing" {
    try signingBenchmark(events: events, golive: golive)
    print("")
}
if which == "all" || which == "ui" {
    try uiBenchmark(items: 2_000, events: option("--events").flatMap { Int($0) } ?? 20_000)
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
