import Foundation
import GoLiveCore

/// Builds a store of `items` checklist items and `events` journal events, written the way the
/// journal writes them (real hashes, real chain), without an fsync per event so setup is quick.
/// `signed`: identity: signed, with two fresh ed25519 keys (in `dir/keys`, made by ssh-keygen),
/// every decision signed and every session's last record sealed, as golive writes them; bob is a
/// captain too, so the judge folds every record.
func makeBigStore(at dir: URL, items: Int, events: Int, signed: Bool = false) throws -> Store {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var keys: [String: SSHPrivateKey] = [:]
    if signed {
        let keyDir = dir.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keyDir, withIntermediateDirectories: true)
        for name in ["alice", "bob"] {
            let path = keyDir.appendingPathComponent(name).path
            let made = try ChildProcess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "\(name)@bench", "-f", path])
            guard made.exitCode == 0 else { throw InputError("ssh-keygen failed: \(made.stderr.text)") }
            keys[name] = try SSHPrivateKey(file: path)
        }
    }
    func keyLine(_ name: String) -> String { keys[name].map { ", keys: [\"\($0.publicKey.line)\"]" } ?? "" }
    var yaml = """
    name: bench
    version: "1.0"
    \(signed ? "identity: signed" : "identity: names")
    team:
      - {id: alice, roles: [captain, safety, sre, eval]\(keyLine("alice"))}
      - {id: bob, roles: [safety, captain, sre, eval]\(keyLine("bob"))}
    capabilities:
      - {name: a, owner: x, transport: y, timeout: 1s, retry_policy: none, idempotency: k, unknown_side_effect_path: p, outcome_telemetry: t}
    items:

    """
    let extra = max(0, items - DefaultCatalog.items.count)
    let contours = Contour.allCases.filter { $0 != .capabilities }
    for i in 0..<extra {
        let c = contours[i % contours.count]
        yaml += "  \(c.rawValue).extra_\(i):\n    contour: \(c.rawValue)\n    title: Extra check number \(i)\n    why: Benchmark filler item\n    severity: \(["blocker", "required", "advisory"][i % 3])\n    owner: captain\n"
    }
    try Data(yaml.utf8).write(to: dir.appendingPathComponent("rollout.yaml"))
    let store = Store(directory: dir)
    let config = try store.loadConfig()
    let ids = config.catalog.filter { $0.derivedFromCapabilityField == nil }.map(\.id)
    let encoder = JSONCoding.encoder()
    let fd = open(store.journalURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { close(fd) }
    var prev = Journal.genesis
    var buffer: [UInt8] = []
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    for seq in 1...events {
        let actor = Actor(operatorID: (seq - 1) / 50 % 2 == 0 ? "alice" : "bob", osUser: "bench", session: "s-bench\((seq - 1) / 50)")
        let id = ids[(seq * 7919) % ids.count]
        var draft: EventDraft
        // Sessions of 50 events, framed as the CLI and the cockpit frame them.
        if seq == 1 {
            // The configuration in force, as init records it: status then shows no drift warning.
            draft = EventDraft(.configAdopted, EventData(reason: "bench", files: config.files, configSha256: config.sha256))
            draft.data.parsedSha256 = ParsedConfigCache.parsedDigest(of: config)
        } else if seq % 50 == 1 {
            draft = EventDraft(.sessionStarted, EventData(session: SessionInfo(id: actor.session, traceID: "0af7651916cd43dd8448eb211c80319c", operatorID: actor.operatorID,
                                                                               osUser: "bench", host: "bench", pid: 1, version: "bench", command: "golive item")))
        } else if seq % 50 == 0 {
            draft = EventDraft(.sessionEnded, EventData(reason: "completed"))
        } else if seq % 1000 == 525 {
            // A sign-off of one contour per thousand records: a write judges what it makes stale.
            let contour = Contour.allCases[(seq / 1000) % Contour.allCases.count]
            let role = ["runtime": "captain", "safety": "safety", "capabilities": "captain", "observability": "sre",
                        "eval_slo": "eval", "operations": "sre", "ownership": "captain"][contour.rawValue] ?? "captain"
            draft = EventDraft(.contourSignedOff, EventData(note: "bench", contour: contour, role: role, itemsHash: String(repeating: "0", count: 64)))
        } else {
        switch seq % 10 {
        case 0: draft = EventDraft(.itemEvidence, EventData(item: id, evidence: Evidence(kind: "link", text: "dashboard snapshot \(seq)", url: "https://grafana.example.com/d/\(seq)")))
        case 1: draft = EventDraft(.itemSet, EventData(item: id, status: .failed, note: "regression seen in run \(seq), investigating with the owning team"))
        default: draft = EventDraft(.itemSet, EventData(item: id, status: .passed, note: "checked in staging run \(seq); evidence attached in the CI job"))
        }
        }
        var written = draft
        if let key = keys[actor.operatorID], seq > 1, SignaturePolicy.isDecision(draft.kind, draft.data, config: config) || draft.kind == .sessionEnded {
            written.data.rollout = "bench"
            written.sign = { prefix in try key.sign(Journal.signedPayload(recordPrefix: prefix), namespace: Journal.signatureNamespace).base64 }
        }
        let (line, hash) = try Journal.encodeLine(seq: seq, prev: prev, ts: t0.addingTimeInterval(Double(seq)), actor: actor, draft: written, encoder: encoder)
        buffer += line
        prev = hash
        if buffer.count > 1 << 20 { _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }; buffer.removeAll(keepingCapacity: true) }
    }
    _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
    return store
}

func storeBenchmark(items: Int, events: Int, golive: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-\(Identity.randomHex(bytes: 4))")
    defer { try? FileManager.default.removeItem(at: dir) }
    print("Store benchmark: \(items) items, \(events) events")
    var store: Store!
    let setup = try timeIt { store = try makeBigStore(at: dir, items: items, events: events) }
    let size = Double((try FileManager.default.attributesOfItem(atPath: store.journalURL.path)[.size] as? Int) ?? 0) / 1_048_576
    print(String(format: "  setup: %.1f s, journal %.1f MB", setup, size))

    // Rebuild without a snapshot (the path after a lost state.json), then one real append writes the snapshot.
    var rebuild = 0.0
    rebuild = try timeIt { _ = try store.loadState() }
    let rebuildRSS = peakRSSMB()
    // The record decoder against Foundation's JSONDecoder, on the same lines (issue 14 asks for the measure).
    let lines = try String(contentsOf: store.journalURL, encoding: .utf8).split(separator: "\n").map { Data($0.utf8) }
    let fast = try timeIt { for l in lines { _ = try EventDecoder.decode(l) } }
    let foundation = try timeIt { let d = JSONCoding.decoder(); for l in lines { _ = try d.decode(Event.self, from: l) } }
    try store.append(actor: Actor(operatorID: "alice", osUser: "bench", session: "s-b"), now: Date()) { _ in
        [EventDraft(.itemEvidence, EventData(item: "runtime.happy_path", evidence: Evidence(kind: "note", text: "bench")))]
    }

    let statusRuns = (0..<7).map { _ in measure([golive, "status", "--store", dir.path]) }
    let gateRuns = (0..<7).map { _ in measure([golive, "gate", "--store", dir.path]) }
    let config = try store.loadConfig()
    let state = try store.loadState().state
    let readiness = Readiness(config: config, state: state, now: Date())
    var gateEval: [Double] = []
    for _ in 0..<20 { gateEval.append(timeIt { _ = Gate.evaluate(readiness) }) }

    let journal = store.journalURL.path
    let verifyRuns = (0..<5).map { _ in measure([golive, "audit", "verify", journal]) }
    let shaRuns = (0..<5).map { _ in measure(["sha256sum", journal]) }
    var inProcess: [Double] = []
    for _ in 0..<5 { inProcess.append(try timeIt { _ = try JournalVerifier.verify(fileAt: store.journalURL) }) }

    let configLoad = median(try (0..<5).map { _ in try timeIt { _ = try store.loadConfig() } })
    let composeOnly = median(try (0..<5).map { _ in try timeIt { _ = try YAMLDocument(contentsOf: store.rolloutURL) } })
    print(String(format: "  yaml compose only: %.1f ms", composeOnly * 1000))
    let stateLoad = median(try (0..<5).map { _ in try timeIt { _ = try store.loadState() } })
    let summaries = median((0..<5).map { _ in timeIt { for c in Contour.allCases { _ = readiness.summary(c) } } })

    let w = [34, 12, 12, 22]
    print(row(["measure", "median", "peak RSS", "target"], w))
    print(row(["-", "-", "-", "-"].map { String(repeating: $0, count: 1) }, w))
    print(row(["cold `golive status` (process)", String(format: "%.3f s", median(statusRuns.map(\.seconds))), String(format: "%.0f MB", statusRuns.map(\.maxRSSMB).max()!), "≤ 0.2 s, ≤ 200 MB"], w))
    print(row(["cold `golive gate` (process)", String(format: "%.3f s", median(gateRuns.map(\.seconds))), String(format: "%.0f MB", gateRuns.map(\.maxRSSMB).max()!), ""], w))
    print(row(["gate evaluation (in process)", String(format: "%.2f ms", median(gateEval) * 1000), "", ""], w))
    print(row(["  of which: read rollout.yaml", String(format: "%.1f ms", configLoad * 1000), "", ""], w))
    print(row(["  of which: read state.json", String(format: "%.1f ms", stateLoad * 1000), "", ""], w))
    print(row(["  of which: contour summaries", String(format: "%.1f ms", summaries * 1000), "", ""], w))
    print(row(["state rebuild from journal", String(format: "%.2f s", rebuild), String(format: "%.0f MB", rebuildRSS), "fallback only"], w))
    print(row(["  decode every record: EventDecoder", String(format: "%.2f s", fast), "", String(format: "%.2f µs a record", fast / Double(lines.count) * 1e6)], w))
    print(row(["  decode every record: JSONDecoder", String(format: "%.2f s", foundation), "", String(format: "%.1f× EventDecoder", foundation / fast)], w))
    let verify = median(verifyRuns.map(\.seconds)), sha = median(shaRuns.map(\.seconds))
    print(row(["`golive audit verify` (process)", String(format: "%.3f s", verify), String(format: "%.0f MB", verifyRuns.map(\.maxRSSMB).max()!), String(format: "%.0f MB/s", size / verify)], w))
    print(row(["verify (in process)", String(format: "%.3f s", median(inProcess)), "", String(format: "%.0f MB/s", size / median(inProcess))], w))
    print(row(["`sha256sum` same file", String(format: "%.3f s", sha), String(format: "%.0f MB", shaRuns.map(\.maxRSSMB).max()!), String(format: "%.0f MB/s", size / sha)], w))
    print(String(format: "  verify / sha256sum throughput ratio: %.2f× (process), %.2f× (in process); target ≥ 0.5×", sha / verify, sha / median(inProcess)))
    if !(statusRuns.allSatisfy { $0.status == 0 } && verifyRuns.allSatisfy { $0.status == 0 }) {
        let failed = statusRuns.first { $0.status != 0 } != nil ? [golive, "status", "--store", dir.path] : [golive, "audit", "verify", journal]
        let again = try ChildProcess.run(failed)
        fatalError("a measured command failed: \(failed.joined(separator: " ")): \(again.stdout.text.suffix(400)) \(again.stderr.text.suffix(400))")
    }
}
