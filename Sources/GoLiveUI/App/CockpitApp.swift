import Foundation
import Synchronization
import GoLiveCore
import Logging

/// Set by the signal handler, read by the loop: a lock-free atomic, safe in a handler.
let pendingSignal = Atomic<Int32>(0)

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
    private(set) var operatorKey: (config: String, key: String?)?

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
        let size = terminal.size
        try cockpit.openSession(SessionInfo.current(for: actor, command: "cockpit", terminal: "\(size.width)x\(size.height)"), as: actor)
        var state = UIState(width: size.width, height: size.height, dashboard: initial, themeName: themeName, readOnly: cockpit.readOnly)
        if let greeting { state.message = Message(text: greeting, kind: .info) }
        if !startupNotes.isEmpty { state.message = Message(text: startupNotes.joined(separator: "; "), kind: .error) }
        let loop = CockpitLoop(app: self, terminal: terminal, state: state, themeNames: forceMonochrome ? ["monochrome"] : themes.map(\.name))
        defer {
            terminal.end()
            do { try cockpit.closeSession(reason: loop.endReason, as: actor) } catch {
                log.error("the session's end was not journaled: \(ErrorReport.describe(error))")
            }
        }
        loop.run()
        return loop.exitCode
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

    /// The selected item and the records of its history, when the screen does not have them yet.
    func historyWanted(_ state: UIState) -> (item: String, seqs: Set<Int>)? {
        guard let row = state.selectedRow else { return nil }
        let wanted = Set(state.dashboard.readiness.state.item(row.id).history)
        if state.historyItem == row.id && Set(state.history.map(\.seq)) == wanted { return nil }
        return (row.id, wanted)
    }
}
