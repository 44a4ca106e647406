import Foundation
import GoLiveCore
import GoLivePostgres
import Testing

/// Issue 27, finding 7: sslmode as libpq reads it, from the address or PGSSLMODE, never silently
/// ignored; the address as shown carries no password and keeps the TLS it asked for.
@Suite struct PostgresAddressTests {
    @Test func sslmodeIsReadAsLibpqReadsItAndAVerifiedModeNeedsItsCA() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sslhome-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let base = "postgres://golive@db.example.com/golive?rollout=r"
        #expect(try PostgresAddress(base, environment: ["HOME": home.path]).sslMode == .prefer, "libpq's default")
        for mode in ["disable", "allow", "prefer", "require"] {
            #expect(try PostgresAddress(base, environment: ["PGSSLMODE": mode, "HOME": home.path]).sslMode.rawValue == mode)
        }
        // The address's own word wins over the environment's, as in libpq.
        #expect(try PostgresAddress(base + "&sslmode=disable", environment: ["PGSSLMODE": "require"]).sslMode == .disable)
        #expect(throws: (any Error).self) { try PostgresAddress(base + "&sslmode=required", environment: [:]) }
        // verify-ca and verify-full with nothing to verify against are refused before connecting.
        for mode in ["verify-ca", "verify-full"] {
            do {
                _ = try PostgresAddress(base, environment: ["PGSSLMODE": mode, "HOME": home.path])
                Issue.record("PGSSLMODE=\(mode) was accepted with no CA certificate")
            } catch {
                #expect("\(error)".contains("needs the CA certificate") && "\(error)".contains(".postgresql/root.crt"), "\(error)")
            }
        }
        let ca = home.appendingPathComponent("ca.crt")
        try Data("not read yet".utf8).write(to: ca)
        let full = try PostgresAddress(base + "&sslmode=verify-full&sslrootcert=\(ca.path)", environment: [:])
        #expect(full.sslMode == .verifyFull && full.sslRootCert == ca.path)
        #expect(full.shown == "postgres://golive@db.example.com:5432/golive?rollout=r&sslmode=verify-full", "a command pasted from a message keeps its TLS")
        #expect(try PostgresAddress(base, environment: ["PGSSLMODE": "verify-ca", "PGSSLROOTCERT": ca.path]).sslRootCert == ca.path)
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".postgresql"), withIntermediateDirectories: true)
        try Data().write(to: home.appendingPathComponent(".postgresql/root.crt"))
        #expect(try PostgresAddress(base, environment: ["PGSSLMODE": "verify-full", "HOME": home.path]).sslRootCert == home.path + "/.postgresql/root.crt")
        #expect(throws: (any Error).self) { try PostgresAddress(base + "&sslmode=verify-ca&sslrootcert=/nonexistent/ca.crt", environment: [:]) }
        // A host that is a folder is the server's Unix socket, as in libpq.
        let socket = try PostgresAddress("postgres://golive@/golive?rollout=r&host=/run/postgresql", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql" && socket.shown == "postgres://golive@/golive?rollout=r&host=/run/postgresql")
        #expect(try PostgresAddress(base, environment: ["PGHOST": "/tmp"]).socketDirectory == nil, "the address's host wins")
        #expect(try PostgresAddress("postgres://golive@/golive?rollout=r", environment: ["PGHOST": "/tmp"]).socketDirectory == "/tmp")
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

