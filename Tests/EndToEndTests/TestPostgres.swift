// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import GoLiveTestSupport

/// The PostgreSQL server the shared-store tests use: $GOLIVE_TEST_POSTGRES (`.ci/run` starts one),
/// else a throwaway cluster started here, once per test process, by scripts/pg-cluster.sh and
/// stopped at exit. Each test gets a database of its own.
enum TestPostgres {
    nonisolated(unsafe) static var startedCluster: String?

    static let server: String = {
        if let url = ProcessInfo.processInfo.environment["GOLIVE_TEST_POSTGRES"], !url.isEmpty { return url }
        let dir = TestFolder.make("pg-cluster").path
        let r = try! ChildProcess.run([script, "start", dir], .init(stdout: .capture(limit: 1 << 16), stderr: .capture(limit: 1 << 16)))
        precondition(r.exitCode == 0, "could not start a PostgreSQL cluster for the tests: \(r.stderr.text)")
        startedCluster = dir
        atexit { TestPostgres.startedCluster.map { TestPostgres.cluster("stop", $0) } }
        return r.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// The cluster's folder (scripts/pg-cluster.sh): its CA (ca.crt) and Unix socket (data/).
    static var folder: String {
        _ = server
        return ProcessInfo.processInfo.environment["GOLIVE_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? startedCluster ?? ""
    }

    static let script = CLI.repoRoot.appendingPathComponent("scripts/pg-cluster.sh").path

    @discardableResult
    static func cluster(_ verb: String, _ dir: String) -> ChildProcess.Result {
        try! ChildProcess.run([script, verb, dir], .init(stdout: .capture(limit: 1 << 16), stderr: .capture(limit: 1 << 16)))
    }

    /// `server` with its database replaced by `name`.
    static func url(database name: String, on base: String = server) -> String {
        var c = URLComponents(string: base)!
        c.path = "/" + name
        return c.string!
    }

    /// A new, empty database; its URL, without a rollout.
    static func freshDatabase(on base: String = server) throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try sql("CREATE DATABASE \(name)", on: base)
        return url(database: name, on: base)
    }

    /// Runs SQL with psql; its unaligned output.
    @discardableResult
    static func sql(_ statement: String, on url: String = server) throws -> String {
        let r = try ChildProcess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement, url],
                                     .init(stdout: .capture(limit: 64 << 20), stderr: .capture(limit: 1 << 16)))
        guard r.exitCode == 0 else { throw CLI.SpawnError(message: "psql: \(r.stderr.text)") }
        return r.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A database holding GoLive's schema and the sample rollout, pushed as `rollout`; its URL.
    static func sampleRollout(_ rollout: String = "demo", from folder: URL? = nil, on base: String = server) throws -> String {
        let db = try freshDatabase(on: base)
        let initialised = try CLI.run(["store", "init", db])
        guard initialised.code == 0 else { throw CLI.SpawnError(message: initialised.err) }
        let url = db + "?rollout=" + rollout
        let source = try folder ?? CLI.sampleStore()
        let pushed = try CLI.run(["store", "push", source.path, url])
        guard pushed.code == 0 else { throw CLI.SpawnError(message: pushed.err) }
        return url
    }

    /// PgBouncer in transaction pooling mode in front of `url`'s server (as the `postgres` user when
    /// run as root, which PgBouncer refuses to be); `url` with PgBouncer's port, and a way to stop it.
    static func pgBouncer(inFrontOf url: String) throws -> (url: String, stop: () -> Void) {
        let server = URLComponents(string: url)!
        let dir = TestFolder.make("pgbouncer")
        chmod(dir.path, 0o755)
        let port = try ChildProcess.run(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"],
                                        .init(stdout: .capture(limit: 64))).stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let ini = dir.appendingPathComponent("pgbouncer.ini")
        try Data("""
            [databases]
            * = host=\(server.host!) port=\(server.port!)
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = \(dir.path)/users.txt
            pool_mode = transaction
            logfile = \(dir.path)/pgbouncer.log
            pidfile = \(dir.path)/pgbouncer.pid

            """.utf8).write(to: ini)
        try Data("\"\(server.user!)\" \"\(server.password!)\"\n".utf8).write(to: dir.appendingPathComponent("users.txt"))
        let root = getuid() == 0
        if root { _ = try ChildProcess.run(["chown", "-R", "postgres", dir.path], .init()) }
        let started = try ChildProcess.run((root ? ["runuser", "-u", "postgres", "--"] : []) + ["pgbouncer", "-d", ini.path],
                                           .init(stdout: .capture(limit: 1 << 16), stderr: .capture(limit: 1 << 16)))
        guard started.exitCode == 0 else { throw CLI.SpawnError(message: "pgbouncer: \(started.stderr.text)") }
        var bounced = server
        bounced.port = Int(port)
        let pidFile = dir.appendingPathComponent("pgbouncer.pid").path
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: pidFile) && Date() < deadline { usleep(20_000) }
        return (bounced.string!, {
            if let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) { kill(pid, SIGTERM) }
        })
    }

    /// A server of a test's own, to stop, crash and start again: its URL, and its folder for
    /// scripts/pg-cluster.sh.
    struct OwnCluster {
        let dir: String
        let url: String

        static func start(_ name: String) throws -> OwnCluster {
            let dir = TestFolder.make(name)
            chmod(dir.path, 0o755)
            let started = TestPostgres.cluster("start", dir.path)
            guard started.exitCode == 0 else { throw CLI.SpawnError(message: "pg-cluster.sh start: \(started.stderr.text)") }
            return OwnCluster(dir: dir.path, url: started.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        func stop() { TestPostgres.cluster("stop", dir) }
        func resume() -> Bool { TestPostgres.cluster("resume", dir).exitCode == 0 }
    }

    /// The sample rollout made ready (a 0-minute shadow) and in shadow, pushed as `rollout`; its URL.
    static func rolloutInShadow(_ rollout: String, on base: String = server) throws -> String {
        let folder = try CLI.sampleStore()
        try CLI.makeReady(folder, shadowMinutes: "0")
        let shadow = try CLI.run(["canary", "shadow"], store: folder, as: "alice")
        guard shadow.code == 0 else { throw CLI.SpawnError(message: shadow.err) }
        return try sampleRollout(rollout, from: folder, on: base)
    }

    /// The rollout's record count, read by the server.
    static func records(_ url: String) throws -> Int {
        let db = url.components(separatedBy: "?").first!
        let rollout = url.components(separatedBy: "rollout=").last!
        return Int(try sql("SELECT count(*) FROM golive_records WHERE rollout = '\(rollout)'", on: db))!
    }
}
#endif
