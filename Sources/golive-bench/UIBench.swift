import Foundation
import GoLiveCore
import GoLiveUI

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}

func uiBenchmark(items: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-ui-\(Identity.randomHex(bytes: 4))")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try makeBigStore(at: dir, items: items, events: 20_000)
    let cockpit = Cockpit(store: store)
    // One real append writes the snapshot that a live store always has.
    try store.append(actor: Actor(operatorID: "alice", osUser: "bench", session: "s-b"), now: Date()) { _ in
        [EventDraft(.itemEvidence, EventData(item: "runtime.happy_path", evidence: Evidence(kind: "note", text: "bench")))]
    }
    print("Cockpit benchmark: \(items) items, 20000 events")
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
}
