import ArgumentParser
import Foundation
import GoLiveCore
import GoLivePostgres

/// Where the store is and who is acting: shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a directory, or postgres://user@host:port/db?rollout=NAME (else $GOLIVE_STORE, else ./.golive).", valueName: "dir|url"))
    var store: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("The operator acting (else $GOLIVE_OPERATOR, else your OS user).", valueName: "operator"))
    var actingAs: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Sign decisions with this OpenSSH private key (else $GOLIVE_SIGNING_KEY, else your ssh-agent); for identity: signed rollouts.", valueName: "file"))
    var signingKey: String?

    var storeText: String { Self.storeText(store) }

    /// `--store` as given, else $GOLIVE_STORE, else ./.golive: every command's store.
    static func storeText(_ store: String?) -> String { store ?? SystemCall.environmentVariable("GOLIVE_STORE") ?? defaultStore }
    static let defaultStore = ".golive"

    /// The store's folder: for a PostgreSQL store, this machine's copy of it.
    var storeURL: URL {
        if PostgresAddress.isAddress(storeText), let address = try? PostgresAddress(storeText) { return address.copyFolder() }
        return URL(fileURLWithPath: storeText)
    }

    /// `live`: follow other machines' writes as they happen (the cockpit). `prefetch`: the
    /// command reads the state, so reading it starts now, beside the configuration's.
    func openStore(live: Bool = false, prefetch: Bool = true) throws -> Store {
        if PostgresAddress.isAddress(storeText) {
            let store = try SharedStore.open(storeText, live: live)
            // Levers made here while the server could not be reached are shared before anything else.
            if !store.pendingLevers().isEmpty && store.offlineReason == nil {
                for line in try cockpit(store, command: commandLine()).sharePendingLevers() { tellPerson(line) }
            }
            return store
        }
        let s = SharedStore.folder(storeURL)
        guard s.exists else {
            throw InputError("no GoLive store at \(s.directory.path) (no rollout.yaml there); create one with `golive init` or pass --store DIR")
        }
        if prefetch { s.prefetch() }
        keepUntilExit(s)
        return s
    }


    func actor(session: String = Session.current) -> Actor {
        StoreOptions.actor(actingAs: actingAs, session: session)
    }

    static func actor(actingAs: String?, session: String = Session.current) -> Actor {
        let os = Identity.osUser()
        let op = actingAs ?? SystemCall.environmentVariable("GOLIVE_OPERATOR") ?? os
        return Actor(operatorID: op, osUser: os, session: session)
    }
}

extension StoreOptions {
    /// The core entry point, with this CLI command as its session.
    func cockpit(_ store: Store, command: String) -> Cockpit {
        Cockpit(store: store, commandSession: SessionInfo.current(for: actor(), command: command), signer: .fromEnvironment(keyFile: signingKey, notice: tellPerson))
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}

enum Session {
    /// One CLI command is one session; every event it writes carries this id. A process runs one
    /// command, except the store agent, which begins a session for each it serves.
    static var current: String { id.withLock { $0 } }
    private static let id = Locked(Identity.newSessionID())

    static func begin() { id.withLock { $0 = Identity.newSessionID() } }
}

func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self))
}

func safe(_ s: String) -> String { SafeText.sanitize(s) }

/// Tells the operator whose approvals or sign-offs their change made stale, and which alerts it
/// raised could not be delivered (on stderr, so that `--json` output stays one document).
@discardableResult
func reportConsequences(_ outcome: Cockpit.Outcome?) -> Cockpit.Outcome? {
    if let outcome { keepUntilExit(outcome) }
    for line in outcome?.consequences ?? [] { FileHandle.standardError.write(Data("golive: note: \(safe(line))\n".utf8)) }
    for line in outcome?.alertProblems ?? [] { FileHandle.standardError.write(Data("golive: warning: \(safe(line))\n".utf8)) }
    return outcome
}

/// Every store this process opened and every outcome it printed, kept until it exits: it exits
/// right after the command, and freeing a state of thousands of items and its configuration entry
/// by entry was 3–8 ms of a write (issue 14). The kernel takes the memory back at once.
func keepUntilExit(_ value: any Sendable) { keptUntilExit.withLock { $0.append(value) } }
/// The store agent lets go of them after each command it serves.
func releaseKept() { keptUntilExit.withLock { $0.removeAll() } }
private let keptUntilExit = Locked<[any Sendable]>([])

/// The command as typed, for the session record.
/// The command line as sessions journal it: never with a password (a `postgres://user:PASSWORD@`
/// address, or `password=` in its query), which would then be in every copy and every export.
func commandLine() -> String { (["golive"] + Invocation.arguments.map(withoutSecrets)).joined(separator: " ") }

/// The arguments of the command being run (after `golive`): the process's own, or those of the
/// command the store agent is serving.
enum Invocation {
    static var arguments: [String] { current.withLock { $0 } }
    private static let current = Locked(Array(CommandLine.arguments.dropFirst()))

    static func serving(_ arguments: [String]) { current.withLock { $0 = arguments } }
}

func withoutSecrets(_ argument: String) -> String {
    guard argument.contains("://") else { return argument }
    var out = PostgresAddress.masked(argument)
    if let query = out.firstIndex(of: "?") {
        let parts = out[out.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { part in
            part.lowercased().hasPrefix("password=") ? "password=***" : String(part)
        }
        out = String(out[...query]) + parts.joined(separator: "&")
    }
    return out
}

/// What is about to ask the person for something (a passphrase, a touch, an agent's confirmation), on stderr.
@Sendable func tellPerson(_ line: String) {
    FileHandle.standardError.write(Data("golive: \(safe(line))\n".utf8))
}

extension StoreOptions {
    /// A checkpoint of the journal's head at `last`, signed with the acting operator's key in a
    /// signed rollout (or why it could not be), for `audit checkpoint` and `audit bundle` alike.
    func checkpoint(of last: Journal.LineHead, config: RolloutConfig, store: Store) -> Result<Checkpoint, Refusal> {
        var cp = Checkpoint(rollout: config.name, seq: last.seq, head: last.hash, time: Date())
        guard config.identity == .signed else { return .success(cp) }
        let actor = actor()
        return DecisionSigner.fromEnvironment(keyFile: signingKey, notice: tellPerson).key(for: actor.operatorID, config: config, store: store.directory)
            .flatMap { key in
                do {
                    cp.signer = actor.operatorID
                    cp.sig = try key.sign(cp.payload).base64
                    return .success(cp)
                } catch { return .failure(Refusal(ErrorReport.describe(error))) }
            }
    }
}

/// `--expect-revision N` (`item`, `waive`): act only if the item is still at that revision.
struct ExpectRevisionOption: ParsableArguments {
    @Option(name: .customLong("expect-revision"), parsing: .unconditional,
            help: ArgumentHelp("Act only if the item is still at this revision (`item ID --json` shows it; 0: never changed); else refused with what it is now.", valueName: "n"))
    var expectRevision: Int?

    func validate() throws {
        if let n = expectRevision, n < 0 { throw ValidationError("--expect-revision takes a revision (0 or more); got \(n)") }
    }

    var seen: SeenState? { expectRevision.map { SeenState(itemRevision: $0) } }
}
