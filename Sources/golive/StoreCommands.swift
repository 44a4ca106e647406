import ArgumentParser
import Foundation
import GoLiveCore
import GoLivePostgres

/// A rollout in PostgreSQL, for teams on several machines: set up the database, move rollouts in and out.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Share a rollout through PostgreSQL: init a database, push a folder store into it, pull one out.",
        discussion: """
        Then every command takes --store postgres://user@host:port/db?rollout=NAME
        (a password in the address or PGPASSWORD; PGHOST, PGPORT, PGUSER and
        PGDATABASE fill what it leaves out). Each machine keeps a verified copy
        under ~/.cache/golive (else $GOLIVE_CACHE).
        """,
        subcommands: [Initialise.self, Push.self, Pull.self, Agent.self]).parsedOnItsOwn

    struct Agent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep a store open on this machine and serve your commands through it.",
            discussion: """
            While it runs, `golive item`, `waive`, `signoff`, `status` and `gate` on this
            store, by the user who started it, are run by it: the same checks, the same
            signatures, each its own session. What it saves each command: on a shared store
            the process's start, connection and catching up (about twice the writes per
            second); on a folder store, reading and proving the state and configuration
            (a write at 8,000 items in a fraction of the time). Hold and rollback always
            run on their own. It serves commands of its own golive build only; stop it
            with Ctrl-C or SIGTERM.
              golive store agent --store 'postgres://golive@db:5432/golive?rollout=main' &
              golive store agent --store ./.golive &
            """)
        @Option(name: .long, help: ArgumentHelp("The store: a directory, or postgres://user@host:port/db?rollout=NAME (else $GOLIVE_STORE, else ./.golive).", valueName: "dir|url"))
        var store: String?
        @Option(name: .customLong("idle-exit"), parsing: .unconditional,
                help: ArgumentHelp("Stop after this many seconds without a command (0: never).", valueName: "seconds"))
        var idleExit = 0

        func validate() throws {
            if idleExit < 0 { throw ValidationError("--idle-exit takes 0 or more seconds, not \(idleExit)") }
        }

        func run() throws {
            let text = StoreOptions.storeText(store)
            guard PostgresAddress.isAddress(text) else { return try serveFolder(text) }
            #if Postgres
            SharedStore.keepsOpen = true
            let store = try SharedStore.open(text, live: false)
            // Loaded once now, so that the first command finds it warm.
            _ = try store.loadConfig()
            _ = try store.loadState()
            let agent = try StoreAgent(socketPath: StoreAgent.socketPath(store.directory), idleSeconds: idleExit)
            tellPerson("store agent: serving \(try PostgresAddress(text).shown) for uid \(geteuid()) at \(agent.socketPath) (pid \(getpid()))")
            try agent.serve()
            #else
            throw InputError(SharedStore.notBuilt)
            #endif
        }

        /// A folder store: the socket in this user's own cache folder, which must be theirs alone.
        func serveFolder(_ text: String) throws {
            guard let resolved = SystemCall.resolvedPath(text), Store(directory: URL(fileURLWithPath: resolved)).exists else {
                throw InputError("no GoLive store at \(text) (no rollout.yaml there); pass --store DIR or postgres://user@host:port/db?rollout=NAME")
            }
            SharedStore.keepsOpen = true
            let store = SharedStore.keptFolder(resolved)
            _ = try store.loadConfig()
            _ = try store.loadState()
            let folder = CacheFolder.agentsPath()
            if FileIdentity.of(folder) == nil {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            guard let found = FileIdentity.of(folder), found.isDirectory, found.isOwnedByUsAlone else {
                throw InputError("\(folder) must be a folder of yours that no one else can write (not a link): the agent's socket goes there; nothing was started")
            }
            let agent = try StoreAgent(socketPath: CacheFolder.agentSocket(folderStore: resolved), idleSeconds: idleExit)
            tellPerson("store agent: serving \(resolved) for uid \(geteuid()) at \(agent.socketPath) (pid \(getpid()))")
            try agent.serve()
        }
    }

    struct Initialise: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Create GoLive's tables in a database (or bring them forward), its records append-only; refuses a database holding other tables.")
        @Argument(help: ArgumentHelp("postgres://user@host:port/db", valueName: "url")) var url: String
        @Option(name: .long, help: ArgumentHelp("Grant this existing role what daily use needs: SELECT on GoLive's tables, INSERT on its records.", valueName: "role"))
        var grant: String?

        func run() throws {
            #if Postgres
            print(try PostgresSchema.initialise(try PostgresAddress(url, needsRollout: false), granting: grant))
            #else
            throw InputError(SharedStore.notBuilt)
            #endif
        }
    }

    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy a folder store's verified journal into a new rollout in PostgreSQL, byte for byte.")
        @Argument(help: ArgumentHelp("The folder store.", valueName: "dir")) var dir: String
        @Argument(help: ArgumentHelp("postgres://user@host:port/db?rollout=NAME", valueName: "url")) var url: String

        func run() throws {
            #if Postgres
            let store = Store(directory: URL(fileURLWithPath: dir))
            guard store.exists else { throw InputError("no GoLive store at \(store.directory.path) (no rollout.yaml there)") }
            let address = try PostgresAddress(url)
            let count = try RolloutTransfer.push(store, to: address)
            print("pushed \(count) records to \(address.shown); use --store '\(address.shown)'")
            #else
            throw InputError(SharedStore.notBuilt)
            #endif
        }
    }

    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy a rollout from PostgreSQL into a new folder store: its journal byte for byte, and its configuration as adopted.")
        @Argument(help: ArgumentHelp("postgres://user@host:port/db?rollout=NAME", valueName: "url")) var url: String
        @Argument(help: ArgumentHelp("A new folder.", valueName: "dir")) var dir: String

        func run() throws {
            #if Postgres
            let address = try PostgresAddress(url)
            let count = try RolloutTransfer.pull(address, into: URL(fileURLWithPath: dir))
            print("pulled \(count) records of \(address.shown) into \(dir); the journal verifies")
            #else
            throw InputError(SharedStore.notBuilt)
            #endif
        }
    }
}
