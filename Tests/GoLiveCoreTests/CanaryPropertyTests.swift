import Foundation
import Testing
import PropertyBased
import GoLiveTestSupport
@testable import GoLiveCore

/// Random walks of the canary through the real entry point, `Cockpit.perform`, on a real store:
/// random operators press random canary actions while the clock moves, readiness flips and the
/// hook applies, refuses or hangs. Checked against the journal each walk wrote, with the test's
/// own bookkeeping rather than the engine's. A failing walk is shrunk to the fewest, simplest
/// steps, and reported with the `.fixedSeed(…)` that replays it.
@Suite(.serialized) struct CanaryPropertyTests {
    /// Approvers twice as often as the others, so walks get approvals; dan holds no approving
    /// role and mallory is not on the team.
    static let operators = ["alice", "bob", "carol", "alice", "bob", "carol", "dan", "mallory"]
    static let approvers: Set<String> = ["alice", "bob", "carol"]
    static let actions: [CanaryAction] = [
        .enterShadow, .approve(note: ""), .approve(note: ""), .advance(cohort: nil), .advance(cohort: nil),
        .advance(cohort: ["t-reg", "t-small"]), .advance(cohort: ["t-big", "t-wide"]), .hold(reason: "h"), .resume(reason: "p99 back to normal"),
        .rollback(reason: "r"), .reconcile(applied: true, note: ""), .reconcile(applied: false, note: ""), .complete,
    ]
    static let answers: [HookResult.Outcome] = [.applied, .applied, .applied, .applied, .failed, .unknown]

    /// What a step does: 0 waits, 1 and 2 flip readiness, 3… press `actions[kind - 3]`.
    /// The weights make walks that get somewhere: shadow, the wait, approvals, advances.
    static let kindWeights: [Int] = [0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 6, 6, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]

    /// One step of a walk. Small numbers are the simplest steps, so shrinking moves toward them.
    struct Step: CustomStringConvertible {
        var kind: Int, actor: Int, answer: Int, minutes: Int
        var description: String {
            switch kind {
            case 0: return "wait \(minutes) min"
            case 1: return "make NOT READY"
            case 2: return "make READY"
            default: return "\(CanaryPropertyTests.operators[actor]) \(CanaryPropertyTests.actions[kind - 3].name) (hook \(CanaryPropertyTests.answers[answer]))"
            }
        }
    }

    static let steps = zip(Gen.int(in: 0...(kindWeights.count - 1)), Gen.int(in: 0...(operators.count - 1)),
                           Gen.int(in: 0...(answers.count - 1)), Gen.int(in: 0...90))
        .map { Step(kind: kindWeights[$0], actor: $1, answer: $2, minutes: $3) }
        .array(of: 1...30)

    /// Where a walk starts: 0 planned, 1 in shadow with the minimum served (so more walks reach
    /// the exposure steps, where the approval and cap rules bite).
    static let walks = zip(Gen.int(in: 0...1), steps)

    /// A moving clock and a scripted hook, shared with the cockpit under test.
    final class World: @unchecked Sendable {
        private let lock = NSLock()
        private var time = CanaryPropertyTests.t0
        private var answer = HookResult.Outcome.applied
        var now: Date { lock.withLock { time } }
        func wait(minutes: Int) { lock.withLock { time += Double(minutes * 60) } }
        func answer(_ a: HookResult.Outcome) { lock.withLock { answer = a } }
        var hookAnswer: HookResult.Outcome { lock.withLock { answer } }
    }

    static let t0 = Date(timeIntervalSince1970: 2_000_000_000)

    /// READY stores of the simulation's rollout, made once and copied for every walk: planned,
    /// and in shadow since 61 minutes before the walk's clock starts.
    static let templates: [URL] = {
        let planned = makeTemplate()
        let shadow = TestFolder.make("canary-template-shadow").appendingPathComponent("store")
        try! FileManager.default.copyItem(at: planned, to: shadow)
        let store = Store(directory: shadow)
        try! Cockpit(store: store, clock: .fixed(t0 - 61 * 60), hookRunner: HookRunner { _ in HookResult(outcome: .applied, summary: "", seconds: 0) })
            .perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        precondition(try! store.loadState().state.canary.stage == .shadow)
        return [planned, shadow]
    }()

    static func makeTemplate() -> URL {
        let source = try! CanarySim.directory(hook: true, autoHold: true)
        let config = try! RolloutConfigParser.load(directory: source)
        let store = try! StoreSetup.create(at: TestFolder.make("canary-template").appendingPathComponent("store"), from: source, name: "",
                                           actor: Fixtures.actor("alice"))
        // Before the shadow template enters shadow (61 minutes before t0): time runs forward in a journal.
        let cockpit = Cockpit(store: store, clock: .fixed(Date(timeIntervalSince1970: 2_000_000_000 - 2 * 3600)))
        for item in config.catalog where item.derivedFromCapabilityField == nil {
            try! cockpit.perform(.setItem(id: item.id, status: .passed, note: "sim", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        return store.directory
    }

    /// A fresh copy of a template store: 0 planned, 1 in shadow.
    static func copyOfTemplate(_ start: Int) throws -> Store {
        let copy = TestFolder.make("canary-walk").appendingPathComponent("store")
        try FileManager.default.copyItem(at: templates[start], to: copy)
        return Store(directory: copy)
    }

    static func walk(_ steps: [Step], from start: Int = 0) throws -> Int {
        let store = try copyOfTemplate(start)
        let world = World()
        let cockpit = Cockpit(store: store, clock: TimeSource { world.now }, hookRunner: HookRunner { _ in
            HookResult(outcome: world.hookAnswer, summary: "scripted", seconds: 0)
        })
        let config = try store.loadConfig()
        let cap = config.policy.maxTenantExposurePct
        let minShadow = config.policy.canary.minShadowMinutes * 60
        var approvals: [(by: String, from: String, to: String, head: String)] = []
        var shadowEntered: Date? = start == 1 ? t0 - 61 * 60 : nil
        var increases = 0
        for (index, step) in steps.enumerated() {
            let before = try store.loadState().state
            let now = world.now
            var events: [Event] = []
            do {
                switch step.kind {
                case 0: world.wait(minutes: step.minutes)
                case 1, 2:
                    events = try cockpit.perform(.setItem(id: "observability.key_spans", status: step.kind == 2 ? .passed : .failed, note: "sim", evidenceURL: nil),
                                                 as: Fixtures.actor("alice")).events
                default:
                    world.answer(answers[step.answer])
                    events = try cockpit.perform(.canary(actions[step.kind - 3]), as: Fixtures.actor(operators[step.actor])).events
                }
            } catch is Refusal {}
            let at = "step \(index + 1) (\(step))"
            for e in events {
                let d = e.data
                switch e.kind {
                case .canaryApproved:
                    #expect(approvers.contains(e.actor), "\(at): approval by \(e.actor)")
                    approvals.append((e.actor, d.from ?? "", d.to ?? "", before.readinessHead))
                case .canaryTransitionStarted:
                    guard let t = d.transition, t.action == "advance" else { break }
                    let distinct = Set(approvals.filter { $0.from == t.from && $0.to == t.to && $0.head == before.readinessHead }.map(\.by))
                    #expect(distinct.count >= 2, "\(at): \(t.from) → \(t.to) started with approvals \(distinct)")
                    if t.from == "shadow" {
                        let served = shadowEntered.map { now.timeIntervalSince($0) } ?? -1
                        #expect(served >= minShadow, "\(at): left shadow after \(served) s")
                    }
                    #expect(t.exposurePct <= cap && !t.cohort.contains("t-reg"), "\(at): \(t)")
                case .canaryTransitionDone, .canaryReconciled:
                    guard e.kind == .canaryTransitionDone || d.applied == true, let t = d.transition else { break }
                    if t.stage == .shadow { shadowEntered = e.ts }
                    if t.action == "advance" { increases += 1 }
                    approvals.removeAll()
                default: break
                }
            }
            let canary = try store.loadState().state.canary
            #expect(canary.exposurePct <= cap, "\(at): exposure \(canary.exposurePct)")
            #expect(!canary.cohort.contains("t-reg"), "\(at): the excluded tenant is live")
        }
        #expect(try JournalVerifier.verify(fileAt: store.journalURL).ok, "the walk's journal does not verify")
        return increases
    }

    final class Tally: @unchecked Sendable {
        var increases = 0
    }

    @Test func randomWalksKeepTheCapTheApprovalsAndTheShadowPeriod() async throws {
        _ = Self.templates
        let tally = Tally()
        await propertyCheck(count: 200, input: Self.walks) { start, steps in
            tally.increases += try Self.walk(steps, from: start)
        }
        // The checks above were exercised: walks did move traffic.
        #expect(tally.increases >= 5, "only \(tally.increases) exposure increases in 200 walks (about 20 expected)")
    }

    /// The walk above only proves something if walks do move traffic: a scripted walk by the book
    /// must reach 5% through the same checks.
    @Test func aWalkByTheBookMovesTrafficThroughTheSameChecks() throws {
        func step(_ action: CanaryAction, by actor: String) -> Step {
            Step(kind: 3 + Self.actions.firstIndex { $0.name == action.name && "\($0)" == "\(action)" }!, actor: Self.operators.firstIndex(of: actor)!,
                 answer: 0, minutes: 0)
        }
        let book = [step(.enterShadow, by: "alice"), Step(kind: 0, actor: 0, answer: 0, minutes: 61),
                    step(.approve(note: ""), by: "bob"), step(.advance(cohort: nil), by: "alice"),
                    step(.approve(note: ""), by: "carol"), step(.advance(cohort: nil), by: "alice")]
        #expect(try Self.walk(book) == 2)
    }

    /// The random walks catch a lone approver only when one happens to advance on a READY gate;
    /// this walk always does: the requester's own approval is one, and two are needed.
    @Test func anAdvanceWithOnlyTheRequestersOwnApprovalMovesNothing() throws {
        let advance = Step(kind: 3 + Self.actions.firstIndex { $0.name == "advance" }!, actor: Self.operators.firstIndex(of: "alice")!, answer: 0, minutes: 0)
        let shadow = Step(kind: 3 + Self.actions.firstIndex { $0.name == "shadow" }!, actor: 0, answer: 0, minutes: 0)
        #expect(try Self.walk([shadow, Step(kind: 0, actor: 0, answer: 0, minutes: 61), advance]) == 0)
    }
}
