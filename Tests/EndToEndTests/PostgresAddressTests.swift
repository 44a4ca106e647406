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
}
