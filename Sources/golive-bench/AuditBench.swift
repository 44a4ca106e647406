import Foundation
import GoLiveCore

func auditBenchmark(sizes: [Int], golive: String) throws {
    print("Audit benchmark: verify and export at \(sizes.map(String.init).joined(separator: " and ")) events")
    let w = [11, 30, 10, 12, 10]
    print(row(["events", "measure", "time", "throughput", "peak RSS"], w))
    for events in sizes {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-audit-\(Identity.randomHex(bytes: 4))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try makeBigStore(at: dir, items: 200, events: events)
        let journal = store.journalURL.path
        let mb = Double((try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int) ?? 0) / 1_048_576
        func line(_ what: String, _ runs: [Measured], _ bytesMB: Double) {
            let t = median(runs.map(\.seconds))
            print(row(["\(events)", what, String(format: "%.2f s", t), String(format: "%.0f MB/s", bytesMB / t), String(format: "%.0f MB", runs.map(\.maxRSSMB).max()!)], w))
        }
        let sha = (0..<3).map { _ in measure(["sha256sum", journal]) }
        let verify = (0..<3).map { _ in measure([golive, "audit", "verify", journal]) }
        let out = dir.appendingPathComponent("export")
        let jsonl = (0..<2).map { _ in measure([golive, "audit", "export", "--format", "jsonl", "--out", out.path + ".jsonl", "--store", dir.path]) }
        let verifyExport = (0..<2).map { _ in measure([golive, "audit", "verify", out.path + ".jsonl"]) }
        let md = [measure([golive, "audit", "export", "--format", "md", "--out", out.path + ".md", "--store", dir.path])]
        let csv = [measure([golive, "audit", "export", "--format", "csv", "--out", out.path + ".csv", "--store", dir.path])]
        line("sha256sum (reference)", sha, mb)
        line("golive audit verify", verify, mb)
        line("export jsonl", jsonl, mb)
        line("verify the jsonl export", verifyExport, mb)
        line("export md", md, mb)
        line("export csv", csv, mb)
        print(String(format: "  journal %.0f MB; verify / sha256sum throughput: %.2f×", mb, median(sha.map(\.seconds)) / median(verify.map(\.seconds))))
        precondition((verify + jsonl + verifyExport + md + csv).allSatisfy { $0.status == 0 }, "a measured command failed")
    }
}
