// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import Logging
import NIOCore
import PostgresNIO

/// One rollout's journal in PostgreSQL: each record stored with its exact line bytes, seq, prev
/// and hash (so the chain, the signatures and `audit verify` are the folder store's), written
/// under a per-rollout advisory lock, with (rollout, seq) unique as the last line of defence.
public final class PostgresJournal: SharedJournal, @unchecked Sendable {
    public let location: PostgresAddress
    let rollout: String
    let connection = Locked<PostgresConnection?>(nil)
    let changes = Locked(0)
    let problem = Locked<String?>(nil)
    /// Set while the heartbeat goes unanswered: a black-holed network closes nothing, so the
    /// LISTEN feed alone would never know.
    let silence = Locked<String?>(nil)
    let listening = Locked(false)

    static let logger = Logger(label: "golive.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    /// The channel every write notifies, with its rollout's name as payload.
    static let channel = "golive_records"

    public var address: String { location.shown }
    public var changeCount: Int { changes.withLock { $0 } }
    public var connectionProblem: String? { silence.withLock { $0 } ?? problem.withLock { $0 } }

    /// How often a live view asks the server for the rollout's head, and how long it waits for
    /// the answer: a server that stops answering makes the screen STALE within their sum.
    static let heartbeatEvery = 0.5
    static let heartbeatDeadline = 1.0

    init(_ location: PostgresAddress) {
        self.location = location
        self.rollout = location.rollout ?? ""
    }

    /// Closes a connection and waits for it (PostgresNIO requires it closed before it is freed;
    /// the store is never called on one of NIO's threads, where waiting would deadlock).
    static func drop(_ c: PostgresConnection) {
        let closing: EventLoopFuture<Void> = c.close()
        try? closing.wait()
    }

    deinit { dropConnection() }

    /// Forgets the connection (the next step opens a fresh one): after an error it cannot be trusted.
    func dropConnection() {
        connection.withLock { old in
            old.map { PostgresJournal.drop($0) }
            old = nil
        }
    }

    /// The rollout at `location`, not checked (its server cannot be reached now): for a machine's
    /// copy that works alone until it can be.
    public static func unchecked(_ location: PostgresAddress) -> PostgresJournal { PostgresJournal(location) }

    /// Opens a rollout: the server must answer, the schema must be one this golive knows and the
    /// rollout must be there. Each refusal says what to do, and nothing is written.
    public static func open(_ location: PostgresAddress) throws -> PostgresJournal {
        let journal = PostgresJournal(location)
        try PostgresSchema.check(journal)
        guard try journal.rolloutExists() else {
            throw InputError("no rollout '\(journal.rollout)' at \(location.shown); push one with `golive store push DIR \(location.shown)`")
        }
        return journal
    }

    /// The connection as libpq would make it from the same address: a Unix socket when the host
    /// is a folder (no TLS there, as in libpq), else TCP with the TLS its sslmode asks for.
    func configuration() throws -> PostgresConnection.Configuration {
        var c: PostgresConnection.Configuration
        if let folder = location.socketDirectory {
            c = PostgresConnection.Configuration(unixSocketPath: folder + "/.s.PGSQL.\(location.port)", username: location.user,
                                                 password: location.password, database: location.database)
        } else {
            c = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                 password: location.password, database: location.database, tls: try tls())
        }
        c.options.connectTimeout = .seconds(5)
        // Every connection (the LISTEN feed's too) says whose it is from its first packet.
        c.options.additionalStartupParameters = [("application_name", location.applicationName ?? Self.applicationName)]
        return c
    }

    /// sslmode in NIOSSL's words. `prefer` and `require` do not check the certificate, as in
    /// libpq, unless a CA is named (then `require` is `verify-ca`, as in libpq); `verify-full`
    /// also checks that the certificate names the host golive connected to.
    func tls() throws -> PostgresConnection.Configuration.TLS {
        let mode = location.sslMode
        if mode == .disable { return .disable }
        var t = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .verifyFull: t.certificateVerification = .fullVerification
        case .verifyCA: t.certificateVerification = .noHostnameVerification
        case .require where location.sslRootCert != nil: t.certificateVerification = .noHostnameVerification
        default: t.certificateVerification = .none
        }
        if let root = location.sslRootCert, t.certificateVerification != .none {
            t.trustRoots = root == "system" ? .default : .file(root)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: t)
        } catch {
            throw InputError("\(location.shown): the TLS settings cannot be used (\(SafeText.sanitize(String(describing: error)))); check sslrootcert")
        }
        return mode.requiresTLS ? .require(context) : .prefer(context)
    }

    /// What one golive session may hold on the server, whatever happens to it: a writer whose
    /// network freezes mid-transaction loses the rollout's lock within 10 s, so that every other
    /// machine's hold and rollback go through; a lever waits at most 15 s for the lock.
    static let sessionBounds: [(name: String, value: String)] = [
        ("idle_in_transaction_session_timeout", "10s"), ("lock_timeout", "15s"), ("statement_timeout", "18s"),
        ("tcp_keepalives_idle", "5"), ("tcp_keepalives_interval", "2"), ("tcp_keepalives_count", "3"),
    ]

    /// Who holds a session, as `pg_stat_activity` shows it to someone waiting for the lock:
    /// operator, host and pid (no address, no password).
    static var applicationName: String {
        let args = CommandLine.arguments
        let who = args.firstIndex(of: "--as").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
            ?? ProcessInfo.processInfo.environment["GOLIVE_OPERATOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "?"
        let command = args.dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2).joined(separator: " ")
        let text = "golive \(command.isEmpty ? "cockpit" : command) as \(who) on \(ProcessInfo.processInfo.hostName) pid \(getpid())"
        return String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || "0123456789 @._-:".unicodeScalars.contains($0)) }.prefix(63).map(Character.init))
    }

    func open() throws -> PostgresConnection {
        if let c = connection.withLock({ $0 }), !c.isClosed { return c }
        let config = try configuration()
        let c = try WritePhases.measure("connect") {
            let c = try translate { try Blocking.run { try await PostgresConnection.connect(configuration: config, id: 1, logger: PostgresJournal.logger) } }
            // One round trip for all of them.
            try execute(PostgresQuery(unsafeSQL: "SELECT " + Self.sessionBounds.map { "set_config('\($0.name)', '\($0.value)', false)" }.joined(separator: ", ")), on: c)
            return c
        }
        connection.withLock { old in
            old.map { PostgresJournal.drop($0) }
            old = c
        }
        return c
    }

    /// Runs one statement and returns its rows' columns, decoded as the caller asks.
    func query<Row: Sendable>(_ q: PostgresQuery, on given: PostgresConnection? = nil,
                              _ decode: @escaping @Sendable (PostgresRow) throws -> Row) throws -> [Row] {
        let c = try given ?? open()
        return try translate {
            try Blocking.run {
                try await c.query(q, logger: PostgresJournal.logger).collect().map(decode)
            }
        }
    }

    func execute(_ q: PostgresQuery, on c: PostgresConnection? = nil) throws {
        _ = try query(q, on: c) { _ in 0 }
    }

    func rolloutExists(on c: PostgresConnection? = nil) throws -> Bool {
        try !query("SELECT 1 FROM golive_rollouts WHERE name = \(rollout)", on: c) { _ in 0 }.isEmpty
    }

    public func records(from seq: Int) throws -> [[UInt8]] {
        try records(from: seq, on: nil)
    }

    func records(from seq: Int, on c: PostgresConnection?) throws -> [[UInt8]] {
        try query("SELECT line FROM golive_records WHERE rollout = \(rollout) AND seq >= \(seq) ORDER BY seq", on: c) { row in
            Array(try row.decode(ByteBuffer.self).readableBytesView)
        }
    }

    /// Runs `body` in one transaction holding the advisory lock `key`; commits when it returns,
    /// rolls back when it throws. What `commit` answers is `exclusively`'s to judge.
    func transaction<T>(locking key: String, _ body: (PostgresConnection) throws -> T,
                        commitFailed: (any Error) throws -> Void = { throw $0 }) throws -> T {
        let c = try open()
        try execute("BEGIN", on: c)
        let result: T
        var locked: UInt64 = 0
        defer { if locked > 0 { WritePhases.add("lock_held", seconds: Double(DispatchTime.now().uptimeNanoseconds - locked) / 1e9) } }
        do {
            do {
                try WritePhases.measure("lock_wait") { try execute("SELECT pg_advisory_xact_lock(hashtext(\(key)))", on: c) }
                locked = DispatchTime.now().uptimeNanoseconds
            } catch let e as StoreError where "\(e)".contains("SQLSTATE 55P03") {
                try? execute("ROLLBACK", on: c)
                throw StoreError.io("PostgreSQL at \(location.server): the rollout's lock is held by \(holder(of: key, on: c)) and was not let go within 15 s; nothing was written. A session that stops answering loses it within 10 s: try again")
            }
            result = try body(c)
        } catch {
            try? execute("ROLLBACK", on: c)
            throw error
        }
        do { try execute("COMMIT", on: c) } catch { try commitFailed(error) }
        return result
    }

    /// Who holds the advisory lock `key`, in the words `application_name` gives.
    func holder(of key: String, on c: PostgresConnection) -> String {
        let rows = (try? query("""
            SELECT a.application_name, coalesce(a.state, '?'), coalesce(extract(epoch FROM now() - a.xact_start)::int, 0)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext(\(key))::bigint & 4294967295)::oid
            """, on: c) { row in try row.decode((String, String, Int).self) }) ?? []
        guard let (name, state, seconds) = rows.first else { return "another session" }
        return "'\(SafeText.sanitize(name.isEmpty ? "a session that gave no name" : name))' (\(state) for \(seconds) s)"
    }

    public func exclusively<T>(_ body: (any SharedTransaction) throws -> T) throws -> T {
        var tx: Transaction?
        return try transaction(locking: "golive:" + rollout, { c in
            let t = Transaction(journal: self, connection: c)
            tx = t
            return try body(t)
        }, commitFailed: { error in
            // The answer to COMMIT was lost, not necessarily the commit: look before saying it failed.
            guard let last = tx?.last else { throw error }
            switch committed(last) {
            case true?: return
            case false?: throw error
            case nil:
                throw StoreError.io("\(address): the server went away while committing seq \(last.seq), and did not come back within \(Int(PostgresJournal.outcomeWait)) s: whether this command's records were written is unknown. Run `golive status` once it is back; do not repeat the command before")
            }
        })
    }

    static let outcomeWait = 30.0

    /// Whether the record with this seq and hash is in the journal, asked on fresh connections
    /// until the server answers (nil when it does not within `outcomeWait`).
    func committed(_ head: Journal.LineHead) -> Bool? {
        let deadline = Date().addingTimeInterval(PostgresJournal.outcomeWait)
        while Date() < deadline {
            dropConnection()
            if let hashes = try? query("SELECT hash FROM golive_records WHERE rollout = \(rollout) AND seq = \(head.seq)", { try $0.decode(String.self) }) {
                return hashes == [head.hash]
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return nil
    }

    /// The head's seq and hash, or nil for an empty rollout.
    func head(on c: PostgresConnection?) throws -> (seq: Int, hash: String)? {
        try query("SELECT seq, hash FROM golive_records WHERE rollout = \(rollout) ORDER BY seq DESC LIMIT 1", on: c) {
            try $0.decode((Int, String).self)
        }.first.map { (seq: $0.0, hash: $0.1) }
    }

    final class Transaction: SharedTransaction {
        let journal: PostgresJournal
        let connection: PostgresConnection
        var last: Journal.LineHead?

        init(journal: PostgresJournal, connection: PostgresConnection) {
            self.journal = journal
            self.connection = connection
        }

        func records(from seq: Int) throws -> [[UInt8]] { try journal.records(from: seq, on: connection) }

        func append(_ lines: [[UInt8]]) throws {
            last = try journal.insert(lines, on: connection)
        }
    }

    /// Inserts lines that continue the chain at the head (checked here, under the lock: a writer
    /// that did not catch up is refused rather than forking the journal).
    @discardableResult
    func insert(_ lines: [[UInt8]], on c: PostgresConnection) throws -> Journal.LineHead? {
        let heads = try lines.map { line -> Journal.LineHead in
            guard let h = Store.head(of: line), line.last == 0x0a else { throw StoreError.corrupt("a journal line to store is not a whole record; nothing was written") }
            return h
        }
        guard !heads.isEmpty else { return nil }
        // In the statement that inserts: the head they continue, checked where they are written
        // (one round trip for the check, the rows and the notification, which PostgreSQL sends
        // only if the transaction commits).
        for start in stride(from: 0, to: lines.count, by: 1000) {
            let end = min(lines.count, start + 1000)
            var binds = PostgresBindings()
            var rows: [String] = []
            for i in start..<end {
                let n = (i - start) * 4 + 4
                rows.append("($1, $\(n + 1), $\(n + 2), $\(n + 3), $\(n + 4))")
            }
            try binds.append(rollout)
            try binds.append(heads[start].seq - 1)
            try binds.append(heads[start].prev)
            try binds.append(PostgresJournal.channel)
            for i in start..<end {
                try binds.append(heads[i].seq)
                try binds.append(heads[i].prev)
                try binds.append(heads[i].hash)
                try binds.append(ByteBuffer(bytes: lines[i]))
            }
            let sql = """
                WITH head AS (SELECT seq, hash FROM golive_records WHERE rollout = $1 ORDER BY seq DESC LIMIT 1),
                continues AS (SELECT 1 WHERE coalesce((SELECT seq FROM head), 0) = $2 AND coalesce((SELECT hash FROM head), $3) = $3),
                ins AS (INSERT INTO golive_records (rollout, seq, prev, hash, line)
                        SELECT * FROM (VALUES \(rows.joined(separator: ", "))) AS v WHERE EXISTS (SELECT 1 FROM continues) RETURNING 1)
                SELECT (SELECT count(*) FROM ins), pg_notify($4, $1)::text
                """
            let count = try query(PostgresQuery(unsafeSQL: sql, binds: binds), on: c) { try $0.decode((Int, String).self).0 }.first ?? 0
            guard count == end - start else {
                let head = try self.head(on: c)
                throw StoreError.corrupt("\(address): the write at seq \(heads[start].seq) does not continue the shared journal (its head is seq \(head?.seq ?? 0)); nothing was written")
            }
        }
        return heads.last
    }

    /// Starts following other machines' writes (LISTEN): `changeCount` moves on each, and on each
    /// reconnection, after which anything may have changed. While the feed is down,
    /// `connectionProblem` says so. A heartbeat asks for the rollout's head every half second on a
    /// connection of its own: an unanswered one makes the store STALE within a second and a half
    /// (a frozen network closes nothing), and a head that moved counts as a change, which is how a
    /// view follows other machines behind a transaction pooler (PgBouncer), where LISTEN hears nothing.
    public func startListening() {
        guard listening.withLock({ was in defer { was = true }; return !was }) else { return }
        startHeartbeat()
        guard let config = try? configuration() else { return }
        let rollout = rollout, changes = changes, problem = problem, shown = location.shown
        Task.detached {
            while true {
                do {
                    let c = try await PostgresConnection.connect(configuration: config, id: 2, logger: PostgresJournal.logger)
                    do {
                        try await c.listen(on: PostgresJournal.channel) { notes in
                            problem.withLock { $0 = nil }
                            changes.withLock { $0 += 1 }
                            for try await note in notes where note.payload == rollout { changes.withLock { $0 += 1 } }
                        }
                    } catch {
                        try? await c.close()
                        throw error
                    }
                } catch {
                    problem.withLock { $0 = "reconnecting to \(shown)…" }
                    changes.withLock { $0 += 1 }
                }
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
    }

    func startHeartbeat() {
        guard let config = try? configuration() else { return }
        let rollout = rollout, changes = changes, silence = silence, shown = location.shown
        Task.detached {
            var connection: PostgresConnection?
            var head: Int?
            var silentSince: Date?
            while true {
                let started = Date()
                do {
                    let c: PostgresConnection
                    if let open = connection, !open.isClosed {
                        c = open
                    } else {
                        c = try await Self.within(Self.heartbeatDeadline * 2) {
                            try await PostgresConnection.connect(configuration: config, id: 3, logger: PostgresJournal.logger)
                        }
                        connection = c
                    }
                    let seq = try await Self.within(Self.heartbeatDeadline) {
                        try await c.query("SELECT coalesce(max(seq), 0)::bigint FROM golive_records WHERE rollout = \(rollout)", logger: PostgresJournal.logger)
                            .collect().first?.decode(Int.self) ?? 0
                    }
                    if silentSince != nil {
                        silentSince = nil
                        silence.withLock { $0 = nil }
                        changes.withLock { $0 += 1 }
                    }
                    if head != seq {
                        if head != nil { changes.withLock { $0 += 1 } }
                        head = seq
                    }
                } catch {
                    // A connection that stopped answering is let go without waiting on it.
                    if let dead = connection { Task.detached { try? await dead.close() } }
                    connection = nil
                    // Said once, with its start: a line that changed every second would be news every second.
                    if silentSince == nil {
                        silentSince = started
                        silence.withLock { $0 = "\(shown) has not answered since \(Timestamp.format(started))" }
                        changes.withLock { $0 += 1 }
                    }
                }
                let rest = Self.heartbeatEvery - Date().timeIntervalSince(started)
                if rest > 0 { try? await Task.sleep(nanoseconds: UInt64(rest * 1e9)) }
            }
        }
    }

    struct Unanswered: Error {}

    /// `step`'s answer, or Unanswered after `seconds`, without waiting for a step that hangs.
    static func within<T: Sendable>(_ seconds: Double, _ step: @escaping @Sendable () async throws -> T) async throws -> T {
        let answer = Locked<Result<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { (waiting: CheckedContinuation<T, any Error>) in
            let settle: @Sendable (Result<T, any Error>) -> Void = { result in
                let first = answer.withLock { held -> Bool in
                    guard held == nil else { return false }
                    held = result
                    return true
                }
                if first { waiting.resume(with: result) }
            }
            let work = Task { do { settle(.success(try await step())) } catch { settle(.failure(error)) } }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                settle(.failure(Unanswered()))
                work.cancel()
            }
        }
    }

    /// PostgreSQL's errors in words: which server, what it said, and what to do.
    func translate<T>(_ step: () throws -> T) throws -> T {
        do {
            return try step()
        } catch let error as PSQLError {
            if error.code != .server { dropConnection() }
            throw PostgresJournal.describe(error, at: location)
        } catch let error as Blocking.TimedOut {
            dropConnection()
            throw StoreError.unreachable("PostgreSQL at \(location.server) did not answer within \(Int(error.seconds)) s; this command committed nothing")
        }
    }

    static func describe(_ error: PSQLError, at location: PostgresAddress) -> any Error {
        let where_ = "PostgreSQL at \(location.server)"
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = SafeText.sanitize(error.serverInfo?[.message] ?? "an error")
            switch state {
            case "28P01": return InputError("\(where_) refused the password of user '\(location.user)'; check the address or PGPASSWORD. Nothing was written")
            case "28000": return InputError("\(where_) refused user '\(location.user)': \(message). Nothing was written")
            case "3D000": return InputError("\(where_) has no database '\(location.database)'; create it (createdb) and run `golive store init`. Nothing was written")
            case "42P01": return InputError("\(where_), database '\(location.database)', holds no GoLive store; run `golive store init \(location.shown)` first. Nothing was written")
            case "23505": return StoreError.corrupt("\(where_): another writer stored the same seq first (\(message)); nothing was written, run the command again")
            default: return StoreError.io("\(where_): \(message) (SQLSTATE \(state)). Nothing was written")
            }
        case .sslUnsupported:
            return StoreError.io("\(where_) does not offer TLS, and sslmode=\(location.sslMode.rawValue) asks for it: golive does not fall back to cleartext. Nothing was written")
        case .connectionError where error.underlying is NIOSSLError || error.underlying is BoringSSLError || error.underlying is NIOSSLExtraError:
            let detail = error.underlying.map { String(describing: $0) } ?? ""
            let why = detail.contains("failedToValidateHostname") ? "the server's certificate does not name '\(SafeText.sanitize(location.host))'"
                : detail.contains("CERTIFICATE_VERIFY_FAILED") ? "the server's certificate does not chain to \(location.sslRootCert.map { SafeText.sanitize($0) } ?? "a trusted CA")"
                : SafeText.sanitize(detail)
            return StoreError.io("\(where_): the TLS handshake failed (\(why), sslmode=\(location.sslMode.rawValue)). Nothing was written")
        case .connectionError:
            let detail = error.underlying.map { String(describing: $0) } ?? ""
            let why = detail.contains("Connection refused") ? "connection refused" : detail.lowercased().contains("timeout") || detail.contains("timed out") ? "no answer within 5 s"
                : detail.contains("No route") ? "no route to host" : detail.isEmpty ? "no answer" : SafeText.sanitize(detail)
            return StoreError.unreachable("cannot reach \(where_) (\(why)); is the server running? Nothing was written")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return StoreError.unreachable("\(where_) closed the connection (server stopped or restarted?); this command committed nothing")
        case .authMechanismRequiresPassword:
            return InputError("\(where_) asks user '\(location.user)' for a password; put it in the address or PGPASSWORD. Nothing was written")
        default:
            return StoreError.io("\(where_): \(error.code) failed. Nothing was written")
        }
    }
}
#endif
