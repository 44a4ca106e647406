import Foundation
import Synchronization
import GoLiveCore
import Logging

/// Set by the signal handler, read by the loop: a lock-free atomic, safe in a handler.
private let pendingSignal = Atomic<Int32>(0)

/// Runs the cockpit: reads keys, feeds the reducer, carries out its effects through the core's
/// single entry point, watches the store for other processes' changes, and draws.
public final class CockpitApp {
    let cockpit: Cockpit
    let actor: Actor
    let themes: [Theme]
    let startupNotes: [String]
    let greeting: String?
    var themeName: String
    let forceMonochrome: Bool
    let term: String?
    /// Where what the screen cannot show is written: `GOLIVE_LOG=path`, else nowhere.
    let log: Logger
    /// The last read failure logged: a read retried on every pass of the loop is logged once.
    private var lastReadFailure: String?

    func readFailed(_ what: String) {
        guard what != lastReadFailure else { return }
        lastReadFailure = what
        log.error("\(what)")
    }

    /// `greeting`: said on the message line when the cockpit opens (the demo says where its store is).
    public init(cockpit: Cockpit, actor: Actor, themeName: String?, noColor: Bool, environment: [String: String], greeting: String? = nil) throws {
        self.cockpit = cockpit
        self.actor = actor
        if let path = environment["GOLIVE_LOG"], !path.isEmpty {
            let handler = try FileLogHandler.open(path)
            var logger = Logger(label: "golive.cockpit") { _ in handler }
            logger[metadataKey: "session"] = "\(actor.session)"
            logger[metadataKey: "operator"] = "\(actor.operatorID)"
            log = logger
        } else {
            log = Logger(label: "golive.cockpit") { _ in SwiftLogNoOpLogHandler() }
        }
        let loaded = ThemeLoader.loadAll(environment: environment)
        themes = loaded.themes
        var notes = loaded.problems
        forceMonochrome = ThemeLoader.wantsMonochrome(environment: environment, noColorFlag: noColor)
        term = environment["TERM"]
        var name = themeName ?? "dark"
        if !loaded.themes.contains(where: { $0.name == name }) {
            notes.append("unknown theme '\(name)'; \(Suggest.didYouMean(name, in: loaded.themes.map(\.name))) — using \(loaded.themes.first?.name ?? "monochrome")")
            name = loaded.themes.first?.name ?? "monochrome"
        }
        if forceMonochrome { name = "monochrome" }
        self.themeName = name
        startupNotes = notes
        self.greeting = greeting
    }

    func theme(named name: String, terminalHasColors: Bool) -> Theme {
        if forceMonochrome || !terminalHasColors { return .monochrome }
        return themes.first { $0.name == name } ?? .monochrome
    }

    /// The operator's key, looked up once per configuration: a reload must not ask the agent again.
    private var operatorKey: (config: String, key: String?)?

    func dashboard() throws -> Dashboard { dashboard(try cockpit.readiness()) }

    func dashboard(_ r: Readiness) -> Dashboard {
        if operatorKey?.config != r.config.sha256 {
            operatorKey = (r.config.sha256, cockpit.signingKeyFingerprint(for: actor.operatorID, config: r.config))
        }
        return Dashboard(readiness: r, operatorID: actor.operatorID, operatorKey: operatorKey?.key)
    }

    /// Returns the process exit code.
    public func run() throws -> Int32 {
        if let why = CursesTerminal.unusable(term: term) { throw InputError(why) }
        let initial = try dashboard()
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig) { pendingSignal.store($0, ordering: .relaxed) } }
        // A parent may hand us a blocked signal mask; the cockpit needs these to resize and to end cleanly.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&wanted, sig) }
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
        let terminal = CursesTerminal()
        var exitCode: Int32 = 0
        var endReason = "error"
        let size = terminal.size
        try cockpit.openSession(SessionInfo.current(for: actor, command: "cockpit", terminal: "\(size.width)x\(size.height)"), as: actor)
        defer {
            terminal.end()
            do { try cockpit.closeSession(reason: endReason, as: actor) } catch {
                log.error("the session's end was not journaled: \(ErrorReport.describe(error))")
            }
        }
        var state = UIState(width: size.width, height: size.height, dashboard: initial, themeName: themeName, readOnly: cockpit.readOnly)
        if let greeting { state.message = Message(text: greeting, kind: .info) }
        if !startupNotes.isEmpty { state.message = Message(text: startupNotes.joined(separator: "; "), kind: .error) }
        var appliedTheme = ""
        var fingerprint = cockpit.store.fingerprint(also: state.dashboard.config.files.map(\.path))
        var lastPoll = Date()
        let themeNames = forceMonochrome ? ["monochrome"] : themes.map(\.name)
        var dirty = true
        func send(_ event: UIEvent) -> [Effect] {
            var (next, effects) = Reducer.reduce(state, event, themes: themeNames)
            Render.settle(&next)
            state = next
            dirty = true
            return effects
        }
        func reload() {
            do {
                let fresh = try dashboard()
                _ = send(.data(fresh))
            } catch {
                _ = send(.notice("cannot reload: \(ErrorReport.describe(error))"))
            }
            fingerprint = cockpit.store.fingerprint(also: state.dashboard.config.files.map(\.path))
        }
        let loader = DashboardLoader()
        var readProblem: String?
        var lastReconnect = Date.distantPast
        var sharedNow: [String] = []
        // The levers made here while offline, read once a second rather than at every frame.
        var pendingShown: [String] = [], lastPendingRead = Date.distantPast
        var job: ProbeJob?
        var transitionJob: TransitionJob?
        var effectJobs: [EffectJob] = []
        var lastClockTick = Date.distantPast, lastWatch = Date()
        loop: while true {
            for running in effectJobs {
                guard let done = running.finished else { continue }
                effectJobs.removeAll { $0 === running }
                for event in done.events { _ = send(event) }
                if done.reload { reload() }
            }
            if let running = transitionJob {
                _ = send(.tick(Date()))
                if let (error, hook) = running.result {
                    transitionJob = nil
                    _ = send(.transitionFinished)
                    var failure = error
                    if failure == nil, let hook, hook.outcome == .failed || hook.outcome == .unknown {
                        failure = Failure("hook \(hook.outcome.rawValue): \(hook.summary)" + (hook.outcome == .unknown ? " — reconcile with U" : "; nothing moved"))
                    }
                    _ = send(.performed(success: running.success + (hook.map { " — hook \($0.outcome.rawValue): \($0.summary)" } ?? ""), failure: failure))
                    reload()
                }
            }
            // A live canary's timers and a release window's countdown tick once a second, and the
            // watch holds a live canary if time (an expired waiver, aged evidence) costs it the gate.
            let canary = state.dashboard.readiness.state.canary
            if state.dashboard.movesWithClock && Date().timeIntervalSince(lastClockTick) >= 1 {
                lastClockTick = Date()
                _ = send(.tick(lastClockTick))
            }
            if canary.stage.isLive && Date().timeIntervalSince(lastWatch) >= 5 {
                lastWatch = Date()
                do {
                    var problems: [String] = []
                    if try cockpit.watch(as: actor, alertProblem: { problems.append($0) }) { reload() }
                    for problem in problems {
                        log.warning("\(problem)")
                        _ = send(.performed(success: "", error: problem))
                    }
                } catch let StoreError.unreachable(why) {
                    // The server is silent: the header already says STALE, and a lever still acts here.
                    log.warning("canary watch: \(why)")
                } catch {
                    // The watch is what holds a live canary when time costs it the gate: its failure is said.
                    let why = ErrorReport.describe(error)
                    log.error("canary watch failed: \(why)")
                    _ = send(.performed(success: "", error: "the canary watch failed (the canary is not being watched from here): \(why)"))
                }
            }
            if let running = job {
                _ = send(.tick(Date()))
                if let finished = running.outcome {
                    job = nil
                    _ = send(.probeFinished)
                    switch finished {
                    case let .success(outcome):
                        _ = send(.performed(success: "probe \(running.item): \(outcome.result.rawValue) — \(outcome.summary)", error: nil))
                    case let .failure(error):
                        _ = send(.performed(success: "", failure: Failure(error)))
                    }
                    reload()
                }
            }
            let caught = pendingSignal.load(ordering: .relaxed)
            if caught != 0 {
                exitCode = 128 + caught
                endReason = "signal \(caught == SIGTERM ? "SIGTERM" : caught == SIGHUP ? "SIGHUP" : "SIGINT")"
                break
            }
            if appliedTheme != state.themeName {
                terminal.apply(theme(named: state.themeName, terminalHasColors: terminal.hasColors))
                appliedTheme = state.themeName
                dirty = true
            }
            if let (item, events) = historyToLoad(state) { _ = send(.history(item: item, events: events)) }
            if state.mode == .timeline && state.timeline.last?.seq != state.dashboard.readiness.state.seq {
                do {
                    _ = send(.timeline(try cockpit.store.recentEvents(limit: 500)))
                } catch {
                    let why = "cannot read the journal for the timeline: \(ErrorReport.describe(error))"
                    if why != lastReadFailure { _ = send(.performed(success: "", error: why)) }
                    readFailed(why)
                }
            }
            // Idle frames are not rendered: only an event, a key, a reload or a probe tick redraws.
            if dirty {
                terminal.draw(Render.frame(state))
                dirty = false
            }
            let input = terminal.read()
            // Another process's change shows within a second: poll the store's files a few times a
            // second (a shared store's change counter, moved by the server's notifications, every loop).
            if Date().timeIntervalSince(lastPoll) > (cockpit.store.shared == nil ? 0.25 : 0.05) {
                lastPoll = Date()
                let now = cockpit.store.fingerprint(also: state.dashboard.config.files.map(\.path))
                // Taken before the read starts: a change during the read starts another one.
                if now != fingerprint && !loader.isRunning {
                    fingerprint = now
                    loader.start(cockpit, operatorID: actor.operatorID, operatorKey: operatorKey?.key)
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
                    _ = send(.data(fresh.readiness.config.sha256 == operatorKey?.config ? fresh : dashboard(fresh.readiness)))
                }
                readProblem = nil
            case let .failure(error)?:
                // A store that cannot be read makes the screen stale: said in the header, not only once.
                readProblem = "cannot read the store: \(ErrorReport.describe(error))"
            case nil: break
            }
            // A lever made here while the server was silent: shared as soon as it answers again.
            if cockpit.store.offlineReason != nil, cockpit.store.shared?.connectionProblem == nil, Date().timeIntervalSince(lastReconnect) > 2 {
                lastReconnect = Date()
                if cockpit.store.reconnect() {
                    do {
                        sharedNow = try cockpit.sharePendingLevers()
                    } catch {
                        sharedNow = ["the levers made here are not shared yet: \(ErrorReport.describe(error))"]
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
            if stale != state.stale { _ = send(.stale(stale)) }
            // Said after "the screen is current", which would hide it.
            for line in sharedNow { _ = send(.performed(success: line, error: nil)) }
            sharedNow = []
            guard let input else { continue }
            let effects: [Effect]
            switch input {
            case let .resize(w, h):
                terminal.forceRedraw()
                dirty = true
                effects = send(.resize(width: w, height: h))
            case let .key(k):
                effects = send(.key(k, at: Date()))
            }
            for effect in effects {
                switch effect {
                case .quit:
                    endReason = "quit"
                    break loop
                case let .export(format, path):
                    _ = send(.notice("exporting the journal as \(format.rawValue) to \(path)…"))
                    let store = cockpit.store
                    effectJobs.append(EffectJob { [log = log] in
                        var n = 0
                        let why = Self.describeFailure({ n = try AuditExporter.export(store: store, format: format, filter: ExportFilter(), toFile: URL(fileURLWithPath: path), now: Date()) }, log: log)
                        return .init(events: [why.map { .performed(success: "", failure: $0) } ?? .notice("exported \(n) events as \(format.rawValue) to \(path)")], reload: false)
                    })
                case let .runProbe(item):
                    job = ProbeJob(item: item, cockpit: cockpit, actor: actor)
                    _ = send(.probeStarted(item, Date()))
                case .cancelProbe:
                    job?.cancel()
                case let .performCanary(action, success, expecting):
                    guard transitionJob == nil else { break }
                    transitionJob = TransitionJob(cockpit: cockpit, action: action, actor: actor, success: success, expecting: expecting)
                    let hook = state.dashboard.config.transitionHook.map { "running hook \($0)" } ?? "applying"
                    _ = send(.transitionStarted("canary \(action.name): \(hook)", Date()))
                case .recordVerdict:
                    if let error = describeFailure({ try cockpit.recordShown(state.dashboard.verdict, surface: "cockpit", as: actor) }) {
                        _ = send(.notice("the verdict was not journaled: \(error.text)"))
                    }
                    reload()
                case let .explain(command):
                    effectJobs.append(EffectJob { [cockpit = cockpit, actor = actor, log = log] in
                        let why = Self.describeFailure({ if let reason = try cockpit.explain(command, as: actor) { throw Refusal(reason) } }, log: log)
                        return .init(events: [.performed(success: "", failure: why ?? Failure("\(command.named) would be accepted now: the screen was behind; press the key again"))],
                                     reload: true)
                    })
                case let .perform(command, success, expecting):
                    // The key may ask the person (a touch, a PIN, an agent's confirmation) before it
                    // signs: the screen says so while it waits, instead of standing still unexplained.
                    if state.dashboard.config.identity == .signed {
                        _ = send(.notice("signing \(command.named): touch your key or confirm in your agent if it asks"))
                        terminal.draw(Render.frame(state))
                    }
                    // Off the loop: a write waits for the store's lock, a shared store's server or
                    // an agent (a lever on a black-holed network held the screen 5 s); the screen
                    // answers meanwhile, and the core still judges what the person saw (`expecting`).
                    effectJobs.append(EffectJob { [cockpit = cockpit, actor = actor, log = log] in
                        var said = success
                        let error = Self.describeFailure({
                            let outcome = try cockpit.perform(command, as: actor, expecting: expecting)
                            said = ([success] + outcome.consequences + outcome.alertProblems).filter { !$0.isEmpty }.joined(separator: " · ")
                        }, log: log)
                        return .init(events: [.performed(success: said, failure: error)], reload: true)
                    })
                }
            }
        }
        // A write or an export still running is let finish before the session's end is recorded:
        // the person pressed its key before they quit.
        for running in effectJobs { while running.finished == nil { usleep(10_000) } }
        return exitCode
    }

    /// What the core answered, for the message line; refusals and errors are logged too.
    func describeFailure(_ body: () throws -> Void) -> Failure? { Self.describeFailure(body, log: log) }

    /// The same, from an effect's own thread.
    static func describeFailure(_ body: () throws -> Void, log: Logger) -> Failure? {
        let failure = describe(body)
        if let failure { log.notice("\(failure.text)") }
        return failure
    }

    static func describe(_ body: () throws -> Void) -> Failure? {
        do {
            try body()
            return nil
        } catch {
            return Failure(error)
        }
    }

    /// The selected item's journal events, when the screen does not have them yet.
    func historyToLoad(_ state: UIState) -> (String, [Event])? {
        guard let row = state.selectedRow else { return nil }
        let wanted = Set(state.dashboard.readiness.state.item(row.id).history)
        if state.historyItem == row.id && Set(state.history.map(\.seq)) == wanted { return nil }
        do {
            return (row.id, try cockpit.store.events(seqs: wanted))
        } catch {
            readFailed("history of \(row.id) not read: \(ErrorReport.describe(error))")
            return (row.id, [])
        }
    }
}
