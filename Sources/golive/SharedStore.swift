import Foundation
import GoLiveCore
import GoLivePostgres

/// Opening a rollout kept in PostgreSQL: this machine's copy, caught up with it.
enum SharedStore {
    /// Said by every command that needs the server when golive was built without it.
    static let notBuilt = "this golive was built without the PostgreSQL store (the Postgres package trait): build it with `swift build -c release --traits Postgres`; nothing was changed"

    static func open(_ text: String, live: Bool) throws -> Store {
        try WritePhases.measure("open") { try openNow(text, live: live) }
    }

    /// Set by the store agent: each rollout opened stays open (connection and loaded copy) for
    /// the next command, which only catches up.
    nonisolated(unsafe) static var keepsOpen = false
    static let kept = Locked<[String: Store]>([:])

    /// A folder store as a command opens it: in the store agent (`keepsOpen`), the one it keeps;
    /// the one whose state is already being read (`readEarly`) when it is that folder, however
    /// spelled (a Store keeps its folder standardized).
    static func folder(_ url: URL) -> Store {
        if let (store, started) = early.withLock({ taken -> (Store, UInt64)? in defer { taken = nil }; return taken }), store.directory == url.standardizedFileURL {
            // How far ahead it got: the benchmarks' phases, and the tests' sign that it was used.
            WritePhases.add("read_early", seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            return store
        }
        guard keepsOpen, let resolved = SystemCall.resolvedPath(url.path) else { return Store(directory: url) }
        return keptFolder(resolved)
    }

    /// The commands that read the state as they start (`openStore(prefetch: true)`).
    static let readingAsTheyStart: [String] = ["item", "waive", "signoff", "status", "gate", "items", "wait", "what-if"]

    /// Starts reading the folder store the command line names, before the line is parsed: the
    /// parse took 1.5–2 ms of a write's start while the cores the read ahead uses sat idle
    /// (issue 30). Only a folder store, only for a command that reads it at once; a store other
    /// than the one the command opens, or a line that does not parse, only wastes the read.
    static func readEarly(_ arguments: [String]) {
        guard let name = arguments.first, readingAsTheyStart.contains(name), !arguments.contains(where: CommandDispatch.asksForHelp.contains) else { return }
        let text = AgentClient.storeText(arguments, variable: SystemCall.environmentVariable)
        guard !PostgresAddress.isAddress(text) else { return }
        let store = Store(directory: URL(fileURLWithPath: text))
        guard store.exists else { return }
        store.prefetch()
        early.withLock { $0 = (store, DispatchTime.now().uptimeNanoseconds) }
    }

    private static let early = Locked<(store: Store, started: UInt64)?>(nil)

    /// A folder store the agent keeps open, by its resolved path: each command served finds the
    /// state and configuration its store proved last time, and reads only what changed since.
    static func keptFolder(_ resolved: String) -> Store {
        kept.withLock { all in
            if let store = all[resolved] { return store }
            let store = Store(directory: URL(fileURLWithPath: resolved))
            all[resolved] = store
            return store
        }
    }

    static func openNow(_ text: String, live: Bool) throws -> Store {
        #if Postgres
        let address = try PostgresAddress(text)
        let folder = address.copyFolder()
        let key = folder.path + " " + text
        if keepsOpen, !live, let store = kept.withLock({ $0[key] }) {
            do {
                try store.catchUpWithShared()
                return try checked(store, address: address)
            } catch StoreError.unreachable {
                // Opened afresh below: the server's answer, or this machine's copy as a command alone has it.
                kept.withLock { $0[key] = nil }
            }
        }
        let journal: PostgresJournal
        do {
            journal = try PostgresJournal.open(address)
        } catch let StoreError.unreachable(why) {
            // The server cannot be reached: this machine's copy, as last caught up, when it has
            // one. Reads show it (said, with its age); hold and rollback act on it and wait to be shared.
            let copy = Store(directory: folder, shared: PostgresJournal.unchecked(address))
            copy.workOffline(why)
            guard copy.exists, let seq = try? copy.loadState().state.seq else { throw StoreError.unreachable(why) }
            tellPerson("\(why.replacingOccurrences(of: " Nothing was written", with: "")); working on this machine's copy (seq \(seq)): only hold and rollback act, and they are shared when the server is back")
            return copy
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = Store(directory: folder, shared: journal)
        try store.catchUpWithShared()
        if keepsOpen && !live { kept.withLock { $0[key] = store } }
        if live { journal.startListening() }
        return try checked(store, address: address)
        #else
        throw InputError(notBuilt)
        #endif
    }

    #if Postgres
    /// What every command on a shared store is told before it runs.
    static func checked(_ store: Store, address: PostgresAddress) throws -> Store {
        guard store.exists else {
            throw StoreError.corrupt("\(address.shown): the rollout's journal adopts no configuration this golive can write out; nothing was changed")
        }
        // Said by every command on this machine until a captain sets it aside.
        if let d = store.divergence {
            tellPerson("the shared journal DIVERGED from what this machine saw: \(d.summary). Only hold and rollback act until a captain runs `golive journal set-aside --reason \"…\"`")
        }
        return store
    }
    #endif
}
