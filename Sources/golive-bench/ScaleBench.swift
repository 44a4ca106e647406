import Foundation
import GoLiveCore

/// Issue 14's table: the same measures at 1k, 100k and 1M records, for 2,000 and 8,000 items, each
/// beside a reference measured in the same run, so that what must stay flat is seen to stay flat.
func scaleBenchmark(items: [Int], sizes: [Int], exports: Bool, signed: Bool = false, golive: String) throws {
    // The system's python, not a shim in PATH that starts another interpreter first.
    let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "/usr/bin/python3"
    let floors = FileManager.default.temporaryDirectory.appendingPathComponent("golive-floors-\(Identity.randomHex(bytes: 4))")
    try FileManager.default.createDirectory(at: floors, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: floors) }
    let cAppend = appendFloor(in: floors)
    let w = [8, 9, 40, 16, 16, 24, 12, 24, 40, 24]
    print("Scale benchmark (medians; references measured in the same run)\(signed ? "; identity: signed, every decision and every write signed" : "")")
    print("  floors: `golive --version` (a process that starts and stops) and a C process appending the write's bytes with fsync\(cAppend == nil ? " (no cc here: not measured)" : "")")
    print(row(["items", "records", "write (--version, C append) write/--version", "agent write /--version", "write peak RSS", "status (py json.load)", "gate", "rebuild (py json.loads)", "audit verify (sha256sum; openssl dgst) ×sha256sum / ×openssl", exports ? "md / csv (jq -c .)" : ""], w))
    for n in items {
        for size in sizes {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-scale-\(Identity.randomHex(bytes: 4))")
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = try makeBigStore(at: dir, items: n, events: size, signed: signed)
            // Writes sign with alice's key, as an operator's would (the agent or --key).
            setenv("GOLIVE_SIGNING_KEY", dir.appendingPathComponent("keys/alice").path, 1)
            let journal = store.journalURL.path
            // Rebuild without a snapshot, in process, against python decoding every line.
            let rebuild = try timeIt { _ = try store.loadState() }
            let py = measure([python, "-c", "import json,sys\nfor l in open(sys.argv[1],'rb'): json.loads(l)", journal])
            // The first write makes the snapshot every later read starts from.
            _ = measure([golive, "item", "runtime.happy_path", "--note", "first", "--store", dir.path, "--as", "alice"])
            // Reference: the process starting, and dd appending and fsyncing the same bytes (those
            // of the write just made). Each write is measured beside its reference, in turn, so
            // that a burst of noise on the machine weighs on both.
            let lastWrite = try store.recentEvents(limit: 3).map { try JSONCoding.encoder().encode($0).count + 1 }.reduce(0, +)
            let scratch = dir.appendingPathComponent("scratch.jsonl").path
            var writes: [Measured] = [], start: [Measured] = [], append: [Measured] = []
            for i in 0..<11 {
                writes.append(measureBare([golive, "item", "runtime.happy_path", "--note", "write \(i)", "--store", dir.path, "--as", "alice"]))
                start.append(measureBare([golive, "--version"]))
                if let cAppend { append.append(measureBare([cAppend, scratch, "\(lastWrite)"])) }
            }
            // The same writes through a store agent on this folder store (golive store agent),
            // each beside `--version` again: what a write costs when the state stays proven.
            var served: [Measured] = []
            if let agent = try? ChildProcess([golive, "store", "agent", "--store", dir.path], .init(stdout: .null, stderr: .null)) {
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline, !(agentListens(dir)) { usleep(20_000) }
                for i in 0..<11 {
                    served.append(measureBare([golive, "item", "runtime.happy_path", "--note", "served \(i)", "--store", dir.path, "--as", "alice"]))
                    start.append(measureBare([golive, "--version"]))
                }
                agent.signal(SIGTERM)
                _ = agent.wait()
            }
            let version = median(start.map(\.seconds)), versionCPU = median(start.map(\.cpuSeconds))
            let status = (0..<5).map { _ in measure([golive, "status", "--store", dir.path]) }
            let stateJSON = dir.appendingPathComponent("state.json").path
            let pyState = (0..<5).map { _ in measure([python, "-c", "import json,sys\nf=open(sys.argv[1],'rb'); f.readline()\nfor l in f: json.loads(l)", stateJSON]) }
            let gate = (0..<5).map { _ in measure([golive, "gate", "--no-record", "--store", dir.path]) }
            let write = median(writes.map(\.seconds))
            // `audit verify` folds every record through the judge (signatures checked on both cores).
            let verify = (0..<3).map { _ in measure([golive, "audit", "verify", journal]) }
            let sha = (0..<3).map { _ in measure(["sha256sum", journal]) }
            // openssl's SHA-256 uses the CPU's SHA instructions: the floor issue 30 names.
            let openssl = (0..<3).map { _ in measure(["openssl", "dgst", "-sha256", journal]) }
            let verifyCell = String(format: "%.2f s (%.2f s; %.2f s) %.1f× / %.1f×", median(verify.map(\.seconds)), median(sha.map(\.seconds)),
                                    median(openssl.map(\.seconds)), median(verify.map(\.seconds)) / median(sha.map(\.seconds)),
                                    median(verify.map(\.seconds)) / median(openssl.map(\.seconds)))
            var exportCell = ""
            if exports {
                let out = dir.appendingPathComponent("export").path
                let md = measure([golive, "audit", "export", "--format", "md", "--out", out + ".md", "--store", dir.path])
                let csv = measure([golive, "audit", "export", "--format", "csv", "--out", out + ".csv", "--store", dir.path])
                let jq = measure(["jq", "-c", ".", journal])
                exportCell = String(format: "%.1f/%.1f s (%.1f s) %.0f/%.0f MB", md.seconds, csv.seconds, jq.seconds, md.maxRSSMB, csv.maxRSSMB)
            }
            print(row([
                "\(n)", size >= 1_000_000 ? "\(size / 1_000_000)M" : size >= 1_000 ? "\(size / 1_000)k" : "\(size)",
                String(format: "%.1f ms (%.1f ms, cpu %.1f; %@) %.1f×", write * 1000, version * 1000, versionCPU * 1000,
                       append.isEmpty ? "—" : String(format: "%.1f ms", median(append.map(\.seconds)) * 1000), write / version),
                served.isEmpty ? "—" : String(format: "%.1f ms %.1f×", median(served.map(\.seconds)) * 1000, median(served.map(\.seconds)) / version),
                String(format: "%.0f MB", writes.map(\.maxRSSMB).max() ?? 0),
                String(format: "%.3f s (%.3f s) %.1f×", median(status.map(\.seconds)), median(pyState.map(\.seconds)),
                       median(status.map(\.seconds)) / median(pyState.map(\.seconds))),
                String(format: "%.3f s", median(gate.map(\.seconds))),
                String(format: "%.2f s (%.2f s) %.1f×", rebuild, py.seconds, rebuild / py.seconds),
                verifyCell,
                exportCell,
            ], w))
            if writes.contains(where: { $0.status != 0 }) || served.contains(where: { $0.status != 0 }) || status.contains(where: { $0.status != 0 }) || verify.contains(where: { $0.status != 0 }) { print("  a measured command failed") }
        }
    }
}

/// Whether a store agent answers for the folder store at `dir` (its socket, where golive puts it).
func agentListens(_ dir: URL) -> Bool {
    let socket = CacheFolder.agentSocket(folderStore: SystemCall.resolvedPath(dir.path) ?? dir.path)
    guard let fd = try? SystemCall.connectUnixSocket(socket) else { return false }
    SystemCall.closeFile(fd)
    return true
}
