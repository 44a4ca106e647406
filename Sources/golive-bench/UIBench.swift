import Foundation
import GoLiveCore
import GoLiveUI

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}

func uiBenchmark(items: Int, events: Int = 20_000) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-ui-\(Identity.randomHex(bytes: 4))")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try makeBigStore(at: dir, items: items, events: events)
    let cockpit = Cockpit(store: store)
    // One real append writes the snapshot that a live store always has.
    try store.append(actor: Actor(operatorID: "alice", osUser: "bench", session: "s-b"), now: Date()) { _ in
        [EventDraft(.itemEvidence, EventData(item: "runtime.happy_path", evidence: Evidence(kind: "note", text: "bench")))]
    }
    print("Cockpit benchmark: \(items) items, \(events) events")
    var dashboard: Dashboard!
    let rebuild = try (0..<5).map { _ in try timeIt { dashboard = Dashboard(readiness: try cockpit.readiness(), operatorID: "alice") } }
    var state = UIState(width: 120, height: 40, dashboard: dashboard)
    var frames: [Double] = []
    for _ in 0..<300 { frames.append(timeIt { _ = Render.frame(state) }) }
    var big = state
    big.width = 240
    big.height = 70
    var bigFrames: [Double] = []
    for _ in 0..<300 { bigFrames.append(timeIt { _ = Render.frame(big) }) }

    // Key press to drawn frame: reducer, render, and the diff the adapter would send to the terminal.
    let keys: [Key] = [.char("j"), .char("j"), .char("l"), .char("k"), .char("b"), .char("j"), .char("b"), .pageDown, .char("G"), .char("g"),
                       .char("h"), .char("/"), .char("s"), .char("p"), .escape, .escape, .char("v"), .escape, .enter, .escape]
    var previous = Render.frame(state)
    var latencies: [Double] = []
    var changed = 0
    for i in 0..<2_000 {
        let key = keys[i % keys.count]
        latencies.append(timeIt {
            state = Reducer.reduce(state, .key(key)).0
            let frame = Render.frame(state)
            changed += frame.changes(since: previous).count
            previous = frame
        })
    }
    let w = [40, 12, 12, 12]
    print(row(["measure", "p50", "p99", "target"], w))
    print(row(["full frame render 120×40", String(format: "%.2f ms", percentile(frames, 0.5) * 1000), String(format: "%.2f ms", percentile(frames, 0.99) * 1000), "≤ 5 ms"], w))
    print(row(["full frame render 240×70", String(format: "%.2f ms", percentile(bigFrames, 0.5) * 1000), String(format: "%.2f ms", percentile(bigFrames, 0.99) * 1000), ""], w))
    print(row(["key → frame (reduce+render+diff) 120×40", String(format: "%.2f ms", percentile(latencies, 0.5) * 1000), String(format: "%.2f ms", percentile(latencies, 0.99) * 1000), "≤ 16 ms p99"], w))
    print(row(["dashboard rebuild on store change", String(format: "%.1f ms", median(rebuild) * 1000), "", "per change"], w))
    print("  cells changed per key on average: \(changed / 2_000) of \(120 * 40); terminal output time is not included")

    // Pasting into a form: the whole paste arrives as one key (bracketed paste), then a frame.
    let paste = String(repeating: "log line from the router, pasted whole; ", count: 2_500).prefix(100_000)
    var form = Reducer.reduce(UIState(width: 120, height: 40, dashboard: dashboard), .key(.char("e"))).0
    let pasteTime = timeIt {
        form = Reducer.reduce(form, .key(.paste(String(paste)))).0
        _ = Render.frame(form)
    }
    print(row(["paste of 100,000 characters + frame", String(format: "%.2f ms", pasteTime * 1000), "", "< 1 s"], w))
    try busyStoreBenchmark(store: store, cockpit: cockpit, items: items)
}

/// Key to frame as the cockpit's loop does it while another process writes every 100 ms: the
/// store is polled every 250 ms and read on a thread of its own when it changed; a finished read
/// becomes the new dashboard; the selected item's history is read; then the key is reduced,
/// drawn and diffed. That is the latency an operator feels.
func busyStoreBenchmark(store: Store, cockpit: Cockpit, items: Int) throws {
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: "/bin/sh")
    writer.arguments = ["-c", "while :; do \"$0\" item runtime.happy_path --note busy --store \"$1\" --as alice >/dev/null 2>&1; sleep 0.1; done",
                        golive, store.directory.path]
    try writer.run()
    defer { writer.terminate(); kill(-writer.processIdentifier, SIGTERM) }
    Thread.sleep(forTimeInterval: 0.5)
    var state = UIState(width: 120, height: 40, dashboard: Dashboard(readiness: try cockpit.readiness(), operatorID: "alice"))
    var fingerprint = store.fingerprint(also: state.dashboard.config.files.map(\.path))
    var lastPoll = Date()
    var previous = Render.frame(state)
    let keys: [Key] = [.char("j"), .char("j"), .char("k"), .char("l"), .char("j"), .char("h"), .pageDown, .char("g")]
    var latencies: [Double] = []
    var reloads = 0
    let loader = DashboardLoader()
    let before = try store.loadState().state.seq
    for i in 0..<500 {
        latencies.append(try timeIt {
            if Date().timeIntervalSince(lastPoll) > 0.25 {
                lastPoll = Date()
                let now = store.fingerprint(also: state.dashboard.config.files.map(\.path))
                if now != fingerprint && !loader.isRunning {
                    fingerprint = now
                    loader.start(cockpit, operatorID: "alice", operatorKey: nil)
                }
            }
            if case let .success(fresh)? = loader.take() {
                reloads += 1
                state = Reducer.reduce(state, .data(fresh)).0
            }
            if let row = state.selectedRow {
                let wanted = Set(state.dashboard.readiness.state.item(row.id).history)
                if state.historyItem != row.id || Set(state.history.map(\.seq)) != wanted {
                    state = Reducer.reduce(state, .history(item: row.id, events: try store.events(seqs: wanted))).0
                }
            }
            var next = Reducer.reduce(state, .key(keys[i % keys.count])).0
            Render.settle(&next)
            state = next
            let frame = Render.frame(state)
            _ = frame.changes(since: previous)
            previous = frame
        })
        Thread.sleep(forTimeInterval: 0.02)
    }
    let writes = try store.loadState().state.seq - before
    let w = [40, 12, 12, 12]
    print(row(["key → frame, another process writing", String(format: "%.2f ms", percentile(latencies, 0.5) * 1000),
               String(format: "%.2f ms", percentile(latencies, 0.99) * 1000), "≤ 16 ms p99"], w))
    print("  \(items) items; \(writes) records written by the other process during 500 keys; \(reloads) reloads; max \(String(format: "%.1f ms", (latencies.max() ?? 0) * 1000))")
}
