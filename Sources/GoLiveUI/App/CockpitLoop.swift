import Foundation
import GoLiveCore
import Logging

/// The cockpit's loop and what it keeps between passes, in the Bubble Tea manner: each pass drains
/// what finished off the loop, lets the clock and the canary watch speak, draws if anything
/// changed, reads a key, looks for other processes' changes, and carries out the reducer's effects.
/// Each of those is one method; `CockpitApp.run` sets up the terminal and the session around it.
final class CockpitLoop {
    let app: CockpitApp
    let terminal: CursesTerminal
    var state: UIState
    let themeNames: [String]
    var exitCode: Int32 = 0
    var endReason = "error"

    private var dirty = true
    private var appliedTheme = ""
    private var fingerprint: Store.Fingerprint
    private var lastPoll = Date()
    private let loader = DashboardLoader()
    private var readProblem: String?
    private var lastReconnect = Date.distantPast
    private var sharedNow: [String] = []
    /// The levers made here while offline, read once a second rather than at every frame.
    private var pendingShown: [String] = [], lastPendingRead = Date.distantPast
    private var job: ProbeJob?
    private var transitionJob: TransitionJob?
    private var effectJobs: [EffectJob] = []
    private var watchJob: EffectJob?
    /// The screen's reads on demand, off the loop: one of each at a time, and a read that failed
    /// is not asked again until what is wanted changes (another item, a new record).
    private var historyJob: EffectJob?
    private var historyAsked: (item: String, seqs: Set<Int>)?
    private var timelineJob: EffectJob?
    private var timelineAsked: Int?
    private var lastClockTick = Date.distantPast, lastWatch = Date()

    var cockpit: Cockpit { app.cockpit }
    var actor: Actor { app.actor }
    var log: Logger { app.log }

    init(app: CockpitApp, terminal: CursesTerminal, state: UIState, themeNames: [String]) {
        self.app = app
        self.terminal = terminal
        self.state = state
        self.themeNames = themeNames
        fingerprint = app.cockpit.store.fingerprint(also: state.dashboard.config.files.map(\.path))
    }

    /// Until a quit or a signal. A write or an export still running is let finish before the
    /// session's end is recorded: the person pressed its key before they quit.
    func run() {
        while true {
            drainFinishedWork()
            tickClock()
            watchCanary()
            if endedBySignal() { break }
            applyThemeAndRead()
            // Idle frames are not rendered: only an event, a key, a reload or a probe tick redraws.
            if dirty {
                terminal.draw(Render.frame(state))
                dirty = false
            }
            let input = terminal.read()
            followTheStore()
            guard let input else { continue }
            if !carryOut(effects(of: input)) { break }
        }
        for running in effectJobs { while running.finished == nil { usleep(10_000) } }
    }

    @discardableResult
    func send(_ event: UIEvent) -> [Effect] {
        var (next, effects) = Reducer.reduce(state, event, themes: themeNames)
        Render.settle(&next)
        state = next
        dirty = true
        return effects
    }

    func reload() {
        do {
            send(.data(try app.dashboard()))
        } catch {
            send(.notice("cannot reload: \(CockpitWording.describe(error))"))
        }
        fingerprint = cockpit.store.fingerprint(also: state.dashboard.config.files.map(\.path))
    }

    /// Writes, exports, explanations, canary transitions and probes that finished off the loop.
    private func drainFinishedWork() {
        for running in effectJobs {
            guard let done = running.finished else { continue }
            effectJobs.removeAll { $0 === running }
            for event in done.events { send(event) }
            if done.reload { reload() }
        }
        if let running = transitionJob {
            send(.tick(Date()))
            if let (error, hook) = running.result {
                transitionJob = nil
                send(.transitionFinished)
                var failure = error
                if failure == nil, let hook, hook.outcome == .failed || hook.outcome == .unknown {
                    failure = Failure("hook \(hook.outcome.rawValue): \(hook.summary)" + (hook.outcome == .unknown ? " — reconcile with U" : "; nothing moved"))
                }
                send(.performed(success: running.success + (hook.map { " — hook \($0.outcome.rawValue): \($0.summary)" } ?? ""), failure: failure))
                reload()
            }
        }
        if let running = job {
            send(.tick(Date()))
            if let finished = running.outcome {
                job = nil
                send(.probeFinished)
                switch finished {
                case let .success(outcome):
                    send(.performed(success: "probe \(running.item): \(outcome.result.rawValue) — \(outcome.summary)", error: nil))
                case let .failure(error):
                    send(.performed(success: "", failure: Failure(error)))
                }
                reload()
            }
        }
    }

    /// A live canary's timers and a release window's countdown tick once a second; a waiver that
    /// expires or evidence that ages is judged again at that moment (Readiness.nextTimeChange).
    private func tickClock() {
        let now = Date()
        guard state.dashboard.wantsTick(at: now, lastTick: lastClockTick) else { return }
        lastClockTick = now
        send(.tick(now))
    }

    /// Every 5 s on a live canary: the watch holds it if time (an expired waiver, aged evidence)
    /// costs it the gate. Off the loop, like any write: a hold waits for the store's lock or a
    /// shared store's server, and the screen answers meanwhile. One watch at a time.
    private func watchCanary() {
        guard state.dashboard.readiness.state.canary.stage.isLive, Date().timeIntervalSince(lastWatch) >= 5,
              watchJob?.finished != nil || watchJob == nil else { return }
        lastWatch = Date()
        let job = EffectJob { [cockpit = cockpit, actor = actor, log = log] in
            var events: [UIEvent] = []
            var changed = false
            do {
                var problems: [String] = []
                changed = try cockpit.watch(as: actor, alertProblem: { problems.append($0) })
                for problem in problems {
                    log.warning("\(problem)")
                    events.append(.performed(success: "", error: problem))
                }
            } catch let StoreError.unreachable(why) {
                // The server is silent: the header already says STALE, and a lever still acts here.
                log.warning("canary watch: \(why)")
            } catch {
                // The watch is what holds a live canary when time costs it the gate: its failure is said.
                let why = CockpitWording.describe(error)
                log.error("canary watch failed: \(why)")
                events.append(.performed(success: "", error: "the canary watch failed (the canary is not being watched from here): \(why)"))
            }
            return .init(events: events, reload: changed)
        }
        watchJob = job
        effectJobs.append(job)
    }

    private func endedBySignal() -> Bool {
        let caught = pendingSignal.load(ordering: .relaxed)
        guard caught != 0 else { return false }
        exitCode = 128 + caught
        endReason = "signal \(caught == SIGTERM ? "SIGTERM" : caught == SIGHUP ? "SIGHUP" : "SIGINT")"
        return true
    }

    /// The theme chosen, and what the screen shows that is read on demand: the selected item's
    /// history and the timeline.
    private func applyThemeAndRead() {
        if appliedTheme != state.themeName {
            terminal.apply(app.theme(named: state.themeName, terminalHasColors: terminal.hasColors))
            appliedTheme = state.themeName
            dirty = true
        }
        readHistory()
        readTimeline()
    }

    /// The selected item's history, read off the loop (a few records found by seq in the journal).
    private func readHistory() {
        guard historyJob?.finished != nil || historyJob == nil, let wanted = app.historyWanted(state),
              historyAsked.map({ $0.item != wanted.item || $0.seqs != wanted.seqs }) ?? true else { return }
        historyAsked = wanted
        let job = EffectJob { [store = cockpit.store, log = log] in
            do {
                return .init(events: [.history(item: wanted.item, events: try store.events(seqs: wanted.seqs))], reload: false)
            } catch {
                let why = "history of \(wanted.item) not read: \(CockpitWording.describe(error))"
                log.error("\(why)")
                return .init(events: [.history(item: wanted.item, events: []), .performed(success: "", error: why)], reload: false)
            }
        }
        historyJob = job
        effectJobs.append(job)
    }

    /// The timeline's newest records, read off the loop when the journal moved past what it shows.
    private func readTimeline() {
        let head = state.dashboard.readiness.state.seq
        guard state.mode == .timeline, state.timeline.last?.seq != head, timelineAsked != head,
              timelineJob?.finished != nil || timelineJob == nil else { return }
        timelineAsked = head
        let job = EffectJob { [store = cockpit.store, log = log] in
            do {
                return .init(events: [.timeline(try store.recentEvents(limit: 500))], reload: false)
            } catch {
                let why = "cannot read the journal for the timeline: \(CockpitWording.describe(error))"
                log.error("\(why)")
                return .init(events: [.performed(success: "", error: why)], reload: false)
            }
        }
        timelineJob = job
        effectJobs.append(job)
    }

    /// Another process's change shows within a second; a store that cannot be read, a silent
    /// server or levers waiting to be shared make the screen say STALE.
    private func followTheStore() {
        // The store's files a few times a second (a shared store's change counter, moved by the
        // server's notifications, every pass).
        if Date().timeIntervalSince(lastPoll) > (cockpit.store.shared == nil ? 0.25 : 0.05) {
            lastPoll = Date()
            let now = cockpit.store.fingerprint(also: state.dashboard.config.files.map(\.path))
            // Taken before the read starts: a change during the read starts another one.
            if now != fingerprint && !loader.isRunning {
                fingerprint = now
                loader.start(cockpit, operatorID: actor.operatorID, operatorKey: app.operatorKey?.key)
            }
        }
        switch loader.take() {
        case let .success(fresh)?:
            // A read that started before this cockpit's own write and its reload is older than the
            // screen. A new configuration may mean another key: that dashboard is made here.
            // A read made while the server was silent is not used once it answers: that copy
            // held this machine's levers, which the server now has on its own head.
            let madeOffline = fresh.readiness.notCurrent && cockpit.store.offlineReason == nil
            if fresh.readiness.state.seq >= state.dashboard.readiness.state.seq && !madeOffline {
                send(.data(fresh.readiness.config.sha256 == app.operatorKey?.config ? fresh : app.dashboard(fresh.readiness)))
            }
            readProblem = nil
        case let .failure(error)?:
            // A store that cannot be read makes the screen stale: said in the header, not only once.
            readProblem = "cannot read the store: \(CockpitWording.describe(error))"
        case nil: break
        }
        // A lever made here while the server was silent: shared as soon as it answers again.
        if cockpit.store.offlineReason != nil, cockpit.store.shared?.connectionProblem == nil, Date().timeIntervalSince(lastReconnect) > 2 {
            lastReconnect = Date()
            if cockpit.store.reconnect() {
                do {
                    sharedNow = try cockpit.sharePendingLevers()
                } catch {
                    sharedNow = ["the levers made here are not shared yet: \(CockpitWording.describe(error))"]
                }
                reload()
            }
        }
        var stale = cockpit.store.shared?.connectionProblem ?? readProblem
        if let why = cockpit.store.offlineReason {
            if Date().timeIntervalSince(lastPendingRead) > 1 {
                lastPendingRead = Date()
                pendingShown = cockpit.store.pendingLevers().map(\.summary)
            }
            stale = ([stale ?? why] + pendingShown).joined(separator: "; ")
        }
        if stale != state.stale { send(.stale(stale)) }
        // Said after "the screen is current", which would hide it.
        for line in sharedNow { send(.performed(success: line, error: nil)) }
        sharedNow = []
    }

    private func effects(of input: TerminalInput) -> [Effect] {
        switch input {
        case let .resize(w, h):
            terminal.forceRedraw()
            dirty = true
            return send(.resize(width: w, height: h))
        case let .key(k):
            return send(.key(k, at: Date()))
        }
    }

    /// The reducer's effects, each through the core's entry points; false when one quits.
    private func carryOut(_ effects: [Effect]) -> Bool {
        for effect in effects {
            switch effect {
            case .quit:
                endReason = "quit"
                return false
            case let .export(format, path):
                send(.notice("exporting the journal as \(format.rawValue) to \(path)…"))
                let store = cockpit.store
                effectJobs.append(EffectJob { [log = log] in
                    var n = 0
                    let why = CockpitApp.describeFailure({ n = try AuditExporter.export(store: store, format: format, filter: ExportFilter(), toFile: URL(fileURLWithPath: path), now: Date()) }, log: log)
                    return .init(events: [why.map { .performed(success: "", failure: $0) } ?? .notice("exported \(n) events as \(format.rawValue) to \(path)")], reload: false)
                })
            case let .runProbe(item):
                job = ProbeJob(item: item, cockpit: cockpit, actor: actor)
                send(.probeStarted(item, Date()))
            case .cancelProbe:
                job?.cancel()
            case let .performCanary(action, success, expecting):
                guard transitionJob == nil else { break }
                transitionJob = TransitionJob(cockpit: cockpit, action: action, actor: actor, success: success, expecting: expecting)
                let hook = state.dashboard.config.transitionHook.map { "running hook \($0)" } ?? "applying"
                send(.transitionStarted("canary \(action.name): \(hook)", Date()))
            case .recordVerdict:
                // A write like any other: it waits for the store's lock (and a shared store's server).
                effectJobs.append(EffectJob { [cockpit = cockpit, actor = actor, log = log, verdict = state.dashboard.verdict] in
                    let error = CockpitApp.describeFailure({ try cockpit.recordShown(verdict, surface: "cockpit", as: actor) }, log: log)
                    return .init(events: error.map { [.notice("the verdict was not journaled: \($0.text)")] } ?? [], reload: true)
                })
            case let .explain(command):
                effectJobs.append(EffectJob { [cockpit = cockpit, actor = actor, log = log] in
                    let why = CockpitApp.describeFailure({ if let refusal = try cockpit.explain(command, as: actor) { throw refusal } }, log: log)
                    return .init(events: [.performed(success: "", failure: why ?? Failure("\(command.named) would be accepted now: the screen was behind; press the key again"))],
                                 reload: true)
                })
            case let .perform(command, success, expecting):
                perform(command, success: success, expecting: expecting)
            }
        }
        return true
    }

    /// Off the loop: a write waits for the store's lock, a shared store's server or an agent (a
    /// lever on a black-holed network held the screen 5 s); the screen answers meanwhile, and the
    /// core still judges what the person saw (`expecting`).
    private func perform(_ command: Command, success: String, expecting: SeenState?) {
        // The key may ask the person (a touch, a PIN, an agent's confirmation) before it signs:
        // the screen says so while it waits, instead of standing still unexplained.
        if state.dashboard.config.identity == .signed {
            send(.notice("signing \(command.named): touch your key or confirm in your agent if it asks"))
            terminal.draw(Render.frame(state))
        }
        effectJobs.append(EffectJob { [cockpit = cockpit, actor = actor, log = log] in
            var said = success
            let error = CockpitApp.describeFailure({
                let outcome = try cockpit.perform(command, as: actor, expecting: expecting)
                said = ([success] + outcome.consequences + outcome.alertProblems).filter { !$0.isEmpty }.joined(separator: " · ")
            }, log: log)
            return .init(events: [.performed(success: said, failure: error)], reload: true)
        })
    }
}
