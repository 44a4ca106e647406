import Foundation
import GoLiveCore

/// Seeded random-input fuzzing of the parsers that read what others wrote: journal lines and the
/// fold, rollout.yaml, the policy, time input, and the three evidence readers. Each target runs in
/// a child process, so a crash (a trap, a fault) is counted, not fatal, and the input that crashed
/// is written to a file by a signal handler. `scripts/fuzz.sh` runs it.
struct FuzzTarget {
    var name: String
    var seeds: [[UInt8]]
    var run: ([UInt8]) throws -> Void
}

/// The input being run, for the crash handler (which may only use async-signal-safe calls).
nonisolated(unsafe) var fuzzCurrent: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1 << 20)
nonisolated(unsafe) var fuzzCurrentCount = 0
nonisolated(unsafe) var fuzzCrashFD: Int32 = -1

/// Alias-bomb documents of a few levels, as keys and as values: the mutations splice, duplicate
/// and re-point their aliases.
let yamlAliasSeeds: [[UInt8]] = [3, 5, 9].flatMap { levels -> [[UInt8]] in
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...levels { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
    return [Array(text.utf8), Array((text + "k:\n  ? *a\(levels)\n  : 1\n  ? *a\(levels - 1)\n  : 2\n").utf8)]
}

func fuzzTargets(repoRoot: URL) throws -> [FuzzTarget] {
    let sample = repoRoot.appendingPathComponent("sample-data")
    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: sample.appendingPathComponent(path))) }
    let journalLines = try bytes("journal.jsonl").split(separator: 0x0a).prefix(40).map(Array.init)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("golive-fuzz-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    func throughFile(_ name: String, _ read: @escaping (URL) throws -> Void) -> ([UInt8]) throws -> Void {
        let url = scratch.appendingPathComponent(name)
        return { input in
            try Data(input).write(to: url)
            try read(url)
        }
    }
    let known = Set(DefaultCatalog.items.map(\.id))
    let now = Date(timeIntervalSince1970: 1_795_836_600)
    return [
        FuzzTarget(name: "journal-line", seeds: journalLines) { input in
            var state = RolloutState()
            input.withUnsafeBufferPointer { line in
                _ = Journal.head(of: line)
                _ = Journal.hashMatches(line)
            }
            if let event = try? EventDecoder.decode(Data(input)) {
                state.apply(event)
                _ = EventText.describe(event)
            }
        },
        FuzzTarget(name: "rollout", seeds: [try bytes("rollout.yaml")]) { input in
            let policy = Policy.sectionNineYAML
            _ = try RolloutConfigParser.parse(text: String(decoding: input, as: UTF8.self), file: "rollout.yaml") { _ in (policy, "policy.yaml") }
        },
        FuzzTarget(name: "policy", seeds: [try bytes("policy.yaml"), Array(Policy.sectionNineYAML.utf8)]) { input in
            _ = try PolicyParser.parse(text: String(decoding: input, as: UTF8.self), file: "policy.yaml", knownItems: known)
        },
        FuzzTarget(name: "time", seeds: ["7d", "12h", "30m", "2026-12-31", "2026-12-31T18:00:00Z", "2026-11-28T03:30:00.123Z", "1.5d"].map { Array($0.utf8) }) { input in
            let text = String(decoding: input, as: UTF8.self)
            if let date = try? Timestamp.parseUserTime(text, now: now) { _ = Timestamp.format(date) }
            if let date = Timestamp.parse(text) { _ = Timestamp.short(date) }
        },
        // Issue 25: a record nesting values thousands deep in a key nobody reads crashed every
        // command. The first two bytes choose a depth up to 65,535; the third arrays or objects;
        // the rest is a mutated journal line the nesting is put into.
        FuzzTarget(name: "json-nesting", seeds: journalLines.map { [0x9c, 0x40, 0] + $0 }) { input in
            guard input.count > 8 else { return }
            let depth = Int(input[0]) << 8 | Int(input[1])
            let open = input[2] % 2 == 0 ? Array("[".utf8) : Array(#"{"a":"#.utf8), close = input[2] % 2 == 0 ? Array("]".utf8) : Array("}".utf8)
            var line = Array(input[3...])
            let at = line.firstIndex(of: UInt8(ascii: ",")).map { $0 + 1 } ?? 0
            var nest = Array(#""zz":"#.utf8)
            for _ in 0..<depth { nest += open }
            nest += Array("0".utf8)
            for _ in 0..<depth { nest += close }
            line.insert(contentsOf: nest + [UInt8(ascii: ",")], at: at)
            _ = try? EventDecoder.decode(Data(line))
            _ = try? SnapshotDecoder.decode(Data(line))
        },
        // Issue 25: aliases of aliases (used as keys, Yams hashed them whole) hung every command.
        FuzzTarget(name: "yaml-alias", seeds: yamlAliasSeeds + [try bytes("policy.yaml")]) { input in
            let text = String(decoding: input, as: UTF8.self)
            if let doc = try? YAMLDocument(file: "rollout.yaml", text: text) { _ = doc.root }
            _ = try? PolicyParser.parse(text: text, file: "policy.yaml", knownItems: known)
        },
        FuzzTarget(name: "junit", seeds: [try bytes("evidence/junit-pytest-evals.xml")], run: throughFile("junit.xml") { _ = try JUnitReader.read($0, minPassRate: 0.9) }),
        FuzzTarget(name: "openslo", seeds: [try bytes("evidence/openslo-v1-slos.yaml"), try bytes("evidence/support-copilot-slos.yaml")],
                   run: throughFile("slo.yaml") { _ = try OpenSLOReader.read($0, service: "support-copilot") }),
        FuzzTarget(name: "otlp", seeds: [try bytes("evidence/otlp-trace.json"), try bytes("evidence/support-copilot-traces.json")],
                   run: throughFile("traces.json") { _ = try OTLPTraceReader.read($0, keySpans: ["agent.plan"], threshold: 0.5) }),
    ]
}

/// One to four edits of the kinds that break parsers: bit flips, bytes that mean something to
/// JSON, YAML and XML, inserted, deleted and duplicated runs, a splice with another seed, a cut.
func mutate(_ input: [UInt8], seeds: [[UInt8]], rng: inout SeededFuzzGenerator) -> [UInt8] {
    var out = input
    let special: [UInt8] = Array("\"'{}[]:,-#&*!|>%@`\\\n\t 0123456789.eE+".utf8) + [0, 0x7f, 0x80, 0xc3, 0xe2, 0xff]
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
        switch Int.random(in: 0..<8, using: &rng) {
        case 0 where !out.isEmpty: out[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
        case 1 where !out.isEmpty: out[at] = special.randomElement(using: &rng)!
        case 2: out.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in special.randomElement(using: &rng)! }, at: at)
        case 3 where !out.isEmpty: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...32, using: &rng)))
        case 4 where !out.isEmpty:
            let run = Array(out[at..<min(out.count, at + Int.random(in: 1...64, using: &rng))])
            out.insert(contentsOf: run, at: Int.random(in: 0...out.count, using: &rng))
        case 5:
            let other = seeds.randomElement(using: &rng)!
            guard !other.isEmpty else { break }
            let from = Int.random(in: 0..<other.count, using: &rng)
            out.insert(contentsOf: other[from..<min(other.count, from + Int.random(in: 1...128, using: &rng))], at: at)
        case 6: out = Array(out.prefix(at))
        default:
            let digits = Array(String(Int.random(in: -99999...999_999_999, using: &rng)).utf8)
            out.insert(contentsOf: digits, at: at)
        }
    }
    return Array(out.prefix(1 << 20))
}

struct SeededFuzzGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs one target in this process (the child): prints "execs rejected" at the end.
func fuzzOne(_ target: FuzzTarget, execs: Int, seconds: Double, seed: UInt64, crashFile: String) {
    fuzzCrashFD = open(crashFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // SIGALRM: one input ran 10 s (a hang), counted and kept like a crash.
    for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGALRM] {
        signal(sig) { number in
            _ = write(fuzzCrashFD, fuzzCurrent, fuzzCurrentCount)
            _exit(100 + number)
        }
    }
    var rng = SeededFuzzGenerator(state: seed)
    let start = Date()
    var done = 0, rejected = 0
    while done < execs && Date().timeIntervalSince(start) < seconds {
        let input = mutate(target.seeds.randomElement(using: &rng)!, seeds: target.seeds, rng: &rng)
        input.withUnsafeBufferPointer { fuzzCurrent.update(from: $0.baseAddress!, count: $0.count) }
        fuzzCurrentCount = input.count
        alarm(10)
        do { try target.run(input) } catch { rejected += 1 }
        alarm(0)
        done += 1
    }
    print("\(done) \(rejected)")
}

/// The parent: each target in a child process, a table of executions, rejections and crashes.
func fuzzBenchmark(repoRoot: URL, bench: String, only: String?, execs: Int, seconds: Double, seed: UInt64) throws {
    let targets = try fuzzTargets(repoRoot: repoRoot).filter { only == nil || $0.name == only }
    guard !targets.isEmpty else { throw InputError("no fuzz target named '\(only ?? "")'; targets: journal-line, rollout, policy, time, json-nesting, yaml-alias, junit, openslo, otlp") }
    print("Fuzzing (seed \(seed); at most \(execs) executions or \(Int(seconds)) s per target)")
    let w = [14, 12, 12, 8, 10, 12]
    print(row(["target", "executions", "rejected", "crashes", "seconds", "execs/s"], w))
    var crashes = 0
    for target in targets {
        let crashFile = FileManager.default.temporaryDirectory.appendingPathComponent("golive-fuzz-crash-\(target.name).bin").path
        let child = try ChildProcess.run([bench, "fuzz-one", target.name, "--execs", "\(execs)", "--seconds", "\(seconds)", "--seed", "\(seed)", "--crash-file", crashFile],
                                         .init(environment: ChildProcess.environment(adding: ["GOLIVE_HOME": repoRoot.path]), stderr: .capture(limit: 4096)))
        let words = child.stdout.text.split(whereSeparator: \.isWhitespace)
        let crashed = child.exitCode.map { $0 >= 100 } ?? true
        if crashed { crashes += 1 }
        print(row([target.name, words.first.map(String.init) ?? "?", words.dropFirst().first.map(String.init) ?? "?", crashed ? "1" : "0",
                   String(format: "%.1f", child.seconds), words.first.flatMap { Double($0) }.map { String(format: "%.0f", $0 / child.seconds) } ?? "?"], w))
        if crashed { print("  \(child.exitCode == 100 + SIGALRM ? "HANG (an input ran 10 s)" : "CRASH") (\(child.ending)): input saved in \(crashFile); replay with --seed \(seed) fuzz-one \(target.name)") }
        else { unlink(crashFile) }
    }
    if crashes > 0 { exit(1) }
}
