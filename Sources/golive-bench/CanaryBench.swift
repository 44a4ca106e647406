import Foundation
import GoLiveCore

/// The canary's costs: deciding (pure), a guarded write, and a transition through a hook, each
/// against a reference measured in the same run.
func canaryBenchmark(repoRoot: URL, golive: String) throws {
    print("Canary benchmark: the sample rollout made ready (39 items, 16 tenants)")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-canary-\(Identity.randomHex(bytes: 4))")
    defer { try? FileManager.default.removeItem(at: dir) }
    // The same recipe as the demo and the end-to-end tests, with no shadow minimum.
    setenv("GOLIVE", golive, 1)
    let ready = measure([repoRoot.appendingPathComponent("scripts/make-ready-store.sh").path, dir.path, "0"])
    precondition(ready.status == 0, "scripts/make-ready-store.sh failed")
    let alice = Actor(operatorID: "alice", osUser: "bench", session: "bench")
    let store = Store(directory: dir)
    let hook = dir.appendingPathComponent("scripts/set-weight.sh")
    let cockpit = Cockpit(store: store)

    let w = [44, 12, 12, 12]
    print(row(["measure", "p50", "p99", "runs"], w))
    func report(_ what: String, _ xs: [Double], unit: Double, _ suffix: String) {
        print(row([what, String(format: "%.3f %@", percentile(xs, 0.5) * unit, suffix), String(format: "%.3f %@", percentile(xs, 0.99) * unit, suffix), "\(xs.count)"], w))
    }
    // Pure decisions on the loaded state: the guard that runs on every key press that asks.
    try cockpit.perform(.canary(.enterShadow), as: alice)
    let r = try cockpit.readiness()
    let decide = (0..<20_000).map { _ in timeIt { _ = CanaryEngine.decide(.advance(cohort: nil), actor: "alice", readiness: r) } }
    let gate = (0..<20_000).map { _ in timeIt { _ = Gate.evaluate(r) } }
    report("Gate.evaluate (reference)", gate, unit: 1e6, "µs")
    report("CanaryEngine.decide advance (refused: 1 of 2)", decide, unit: 1e6, "µs")
    // A guarded write: lock, reload, decide, fsync, snapshot. Reference: an evidence note, same path.
    let bob = Actor(operatorID: "bob", osUser: "bench", session: "bench")
    let note = (0..<200).map { i in timeIt { _ = try? cockpit.perform(.addEvidence(id: "operations.runbook", text: "n\(i)", url: nil), as: bob) } }
    let approve = (0..<200).map { _ in timeIt { _ = try? cockpit.perform(.canary(.approve(note: "")), as: bob) } }
    report("perform addEvidence (reference write)", note, unit: 1e3, "ms")
    report("perform canary approve", approve, unit: 1e3, "ms")
    // A transition through the sample hook (sh, tr, sed, mv): advance then roll back, again and again.
    let spawnTrue = (0..<100).map { _ in measure(["/bin/sh", "-c", "true"]).seconds }
    var transitions: [Double] = []
    for _ in 0..<50 {
        _ = try cockpit.perform(.canary(.approve(note: "")), as: bob)
        transitions.append(try timeIt { _ = try cockpit.perform(.canary(.advance(cohort: nil)), as: alice) })
        transitions.append(try timeIt { _ = try cockpit.perform(.canary(.rollback(reason: "bench")), as: alice) })
        try cockpit.perform(.canary(.enterShadow), as: alice)
    }
    report("spawn /bin/sh -c true (reference)", spawnTrue, unit: 1e3, "ms")
    report("transition through \(hook.lastPathComponent)", transitions, unit: 1e3, "ms")
    print(String(format: "  approve / evidence write: %.2f×   transition / sh spawn: %.1f×   decide / gate: %.1f×",
                 percentile(approve, 0.5) / percentile(note, 0.5), percentile(transitions, 0.5) / percentile(spawnTrue, 0.5),
                 percentile(decide, 0.5) / percentile(gate, 0.5)))
}
