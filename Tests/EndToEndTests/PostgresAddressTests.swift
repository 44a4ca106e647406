import Foundation
import GoLiveCore
import GoLivePostgres
import Testing

/// Issue 27, finding 7 (in part): TLS asked for in the environment, as libpq reads PGSSLMODE, was
/// silently ignored and the connection made in cleartext. It is refused like the address's own
/// sslmode, before anything connects.
@Suite struct PostgresAddressTests {
    @Test func tlsAskedForInTheEnvironmentIsRefusedNotIgnored() throws {
        for mode in ["require", "verify-ca", "verify-full"] {
            do {
                _ = try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r", environment: ["PGSSLMODE": mode])
                Issue.record("PGSSLMODE=\(mode) was accepted for a cleartext connection")
            } catch {
                #expect("\(error)".contains("PGSSLMODE=\(mode) in the environment is not supported"), "\(error)")
            }
        }
        for mode in ["disable", "prefer", "allow", ""] {
            #expect(throws: Never.self) { try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r", environment: ["PGSSLMODE": mode]) }
        }
        // The address's own word wins over the environment's, as in libpq.
        #expect(throws: Never.self) { try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r&sslmode=disable", environment: ["PGSSLMODE": "require"]) }
    }

    /// Issue 27, finding 7 (in part): the password file libpq reads (PGPASSFILE, else ~/.pgpass)
    /// was not read, so a password had to go on the command line or in the environment.
    @Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent(".pgpass")
        try Data("""
            # host:port:database:user:password
            other.example.com:5432:*:golive:not-this-one
            db.example.com:5433:golive:golive:wrong-port
            db.example.com:*:golive:golive:pa\\:ss\\\\word
            *:*:*:*:fallback

            """.utf8).write(to: file)
        chmod(file.path, 0o600)
        let env = ["HOME": home.path]
        #expect(try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r", environment: env).password == #"pa:ss\word"#)
        #expect(try PostgresAddress("postgres://golive@db.example.com:5433/golive?rollout=r", environment: env).password == "wrong-port")
        #expect(try PostgresAddress("postgres://erin@elsewhere/x?rollout=r", environment: env).password == "fallback")
        // The address's password and PGPASSWORD come first, as in libpq.
        #expect(try PostgresAddress("postgres://golive:given@db.example.com/golive?rollout=r", environment: env).password == "given")
        #expect(try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r", environment: env.merging(["PGPASSWORD": "env"]) { $1 }).password == "env")
        // PGPASSFILE names another file.
        let other = home.appendingPathComponent("team.pgpass")
        try Data("*:*:*:golive:from-pgpassfile\n".utf8).write(to: other)
        chmod(other.path, 0o600)
        #expect(try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r", environment: env.merging(["PGPASSFILE": other.path]) { $1 }).password == "from-pgpassfile")
        // A file others may read is not used, as libpq refuses it.
        chmod(file.path, 0o644)
        #expect(try PostgresAddress("postgres://golive@db.example.com/golive?rollout=r", environment: env).password == nil)
    }

    /// Issue 27, finding 7 (in part): golive's sessions had no application_name on the server.
    @Test func theApplicationNameIsGoLivesOwnUnlessTheAddressOrPGAPPNAMESaysOtherwise() throws {
        let base = "postgres://golive@db.example.com/golive?rollout=r"
        #expect(try PostgresAddress(base, environment: [:]).applicationName == nil, "golive's own words: the command, the operator, the machine")
        #expect(try PostgresAddress(base, environment: ["PGAPPNAME": "golive-ci"]).applicationName == "golive-ci")
        #expect(try PostgresAddress(base + "&application_name=captain-laptop", environment: ["PGAPPNAME": "golive-ci"]).applicationName == "captain-laptop")
        #expect(try PostgresAddress(base + "&application_name=a%0A%1Bb", environment: [:]).applicationName == "ab", "no control characters reach the server's logs")
    }
}

