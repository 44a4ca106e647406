import Foundation
import GoLiveCore

/// Signing and verifying decisions: one signature through a key file and through a real
/// ssh-agent, one verification, and `golive audit verify` of a journal of `events` records of
/// which every tenth is a signed decision, next to `sha256sum` on the same file.
func signingBenchmark(events: Int, golive: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-sign-\(Identity.randomHex(bytes: 4))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    print("Signing benchmark: \(events) records, every tenth a signed decision")
    let keyPath = dir.appendingPathComponent("alice").path
    guard try ChildProcess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@bench", "-f", keyPath], .init(stdout: .null)).exitCode == 0 else {
        print("  ssh-keygen is missing: skipped"); return
    }
    let key = try SSHPrivateKey(file: keyPath)
    let message = Array(String(repeating: "x", count: 600).utf8)
    let fileSign = median((0..<200).map { _ in timeIt { _ = try? key.sign(message, namespace: "golive") } })
    let signature = try key.sign(message, namespace: "golive")
    let verifyOne = median((0..<200).map { _ in timeIt { _ = signature.verifies(message, namespace: "golive") } })
    let socket = dir.appendingPathComponent("agent.sock").path
    let agentProcess = try ChildProcess(["ssh-agent", "-D", "-a", socket], .init(stdout: .null, stderr: .null))
    defer { agentProcess.signal(SIGTERM); _ = agentProcess.wait() }
    while !FileManager.default.fileExists(atPath: socket) { usleep(5_000) }
    _ = try ChildProcess.run(["ssh-add", "-q", keyPath], .init(environment: ChildProcess.environment(adding: ["SSH_AUTH_SOCK": socket]), stdout: .null))
    let agent = SSHAgent(socket: socket)
    let agentSign = median((0..<100).map { _ in timeIt { _ = try? agent.sign(message, namespace: "golive", with: key.publicKey) } })

    // A signed rollout's journal: the adopted configuration names alice's key.
    let rollout = "name: bench\nversion: \"1\"\nidentity: signed\nteam:\n  - {id: alice, roles: [captain], keys: [\"\(key.publicKey.line)\"]}\n"
    try Data(rollout.utf8).write(to: dir.appendingPathComponent("rollout.yaml"))
    let store = Store(directory: dir)
    let config = try store.loadConfig()
    let encoder = JSONCoding.encoder()
    let fd = open(store.journalURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var prev = Journal.genesis, buffer: [UInt8] = []
    let actor = Actor(operatorID: "alice", osUser: "bench", session: "s-bench")
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    for seq in 1...events {
        var draft: EventDraft
        if seq == 1 {
            draft = EventDraft(.configAdopted, EventData(reason: "bench", files: config.files, configSha256: config.sha256))
            draft.data.parsedSha256 = ParsedConfigCache.parsedDigest(of: config)
        } else if seq % 10 == 0 {
            draft = EventDraft(.canaryApproved, EventData(note: "bench approval \(seq)", role: "captain", from: "shadow", to: "1%",
                                                          stateSha256: String(repeating: "a", count: 64), policySha256: String(repeating: "b", count: 64)))
            draft.data.rollout = config.name
            draft.sign = { prefix in try key.sign(Journal.signedPayload(recordPrefix: prefix), namespace: Journal.signatureNamespace).base64 }
        } else {
            draft = EventDraft(.itemEvidence, EventData(item: "runtime.happy_path", evidence: Evidence(kind: "note", text: "checked in staging run \(seq)")))
        }
        let (line, hash) = try Journal.encodeLine(seq: seq, prev: prev, ts: t0.addingTimeInterval(Double(seq)), actor: actor, draft: draft, encoder: encoder)
        buffer += line
        prev = hash
        if buffer.count > 1 << 20 { _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }; buffer.removeAll(keepingCapacity: true) }
    }
    _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
    close(fd)
    let size = Double((try FileManager.default.attributesOfItem(atPath: store.journalURL.path)[.size] as? Int) ?? 0) / 1_048_576
    let verifyRuns = (0..<5).map { _ in measure([golive, "audit", "verify", store.journalURL.path]) }
    let shaRuns = (0..<5).map { _ in measure(["sha256sum", store.journalURL.path]) }
    precondition(verifyRuns.allSatisfy { $0.status == 0 }, "audit verify failed on the signed journal")

    let w = [44, 12, 12]
    print(row(["measure", "median", "peak RSS"], w))
    print(row(["-", "-", "-"], w))
    print(row(["sign one decision, key file (in process)", String(format: "%.0f µs", fileSign * 1e6), ""], w))
    print(row(["sign one decision, through ssh-agent", String(format: "%.0f µs", agentSign * 1e6), ""], w))
    print(row(["verify one signature (in process)", String(format: "%.0f µs", verifyOne * 1e6), ""], w))
    let verify = median(verifyRuns.map(\.seconds)), sha = median(shaRuns.map(\.seconds))
    print(row([String(format: "`golive audit verify`, %.1f MB, %d signed", size, events / 10), String(format: "%.3f s", verify), String(format: "%.0f MB", verifyRuns.map(\.maxRSSMB).max()!)], w))
    print(row(["`sha256sum` same file", String(format: "%.3f s", sha), String(format: "%.0f MB", shaRuns.map(\.maxRSSMB).max()!)], w))
    print(String(format: "  verify / sha256sum: %.2f×", sha / verify))
}
