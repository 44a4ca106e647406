// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import PostgresNIO

/// GoLive's tables and their version. A migration is added to `migrations`, never edited, so a
/// database made by any golive can be brought forward, and one made by a newer golive is refused.
public enum PostgresSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE golive_schema (version integer NOT NULL);
        INSERT INTO golive_schema (version) VALUES (0);
        CREATE TABLE golive_rollouts (name text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE golive_records (
            rollout text NOT NULL REFERENCES golive_rollouts (name),
            seq bigint NOT NULL CHECK (seq > 0),
            prev text NOT NULL,
            hash text NOT NULL,
            line bytea NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (rollout, seq)
        );
        """,
    ]
    public static var version: Int { migrations.count }

    /// The version a database's schema is at: 0 when it has none of GoLive's tables.
    static func installed(_ journal: PostgresJournal, on c: PostgresConnection? = nil) throws -> Int {
        let present = try journal.query("SELECT to_regclass('golive_schema') IS NOT NULL", on: c) { try $0.decode(Bool.self) }
        guard present.first == true else { return 0 }
        return try journal.query("SELECT max(version) FROM golive_schema", on: c) { try $0.decode(Int?.self) }.first.flatMap { $0 } ?? 0
    }

    /// Refuses a database without GoLive's schema or with a newer one.
    static func check(_ journal: PostgresJournal) throws {
        let v = try installed(journal)
        let at = "\(journal.location.host):\(journal.location.port), database '\(journal.location.database)'"
        if v == 0 { throw InputError("PostgreSQL at \(at) holds no GoLive store; run `golive store init \(journal.location.shown)` first. Nothing was written") }
        if v > version { throw newer(v, at: at) }
        if v < version { throw InputError("PostgreSQL at \(at) has GoLive's schema version \(v); this golive needs \(version): run `golive store init` to bring it forward") }
    }

    static func newer(_ v: Int, at: String) -> InputError {
        InputError("PostgreSQL at \(at) was set up by a newer golive (schema version \(v); this one knows up to \(version)). Nothing was written; upgrade golive")
    }

    /// Creates or brings forward GoLive's tables, in one transaction. Returns what it did. A
    /// database holding other tables and none of GoLive's is not ours to write into.
    public static func initialise(_ location: PostgresAddress) throws -> String {
        let journal = PostgresJournal(location)
        let at = "\(location.host):\(location.port), database '\(location.database)'"
        let from = try journal.transaction(locking: "golive:schema") { c -> Int in
            let v = try installed(journal, on: c)
            if v > version { throw newer(v, at: at) }
            if v == 0 {
                let others = try journal.query("""
                    SELECT table_name::text FROM information_schema.tables
                    WHERE table_schema = current_schema() ORDER BY 1 LIMIT 5
                    """, on: c) { try $0.decode(String.self) }
                if !others.isEmpty {
                    throw InputError("PostgreSQL at \(at) holds tables that are not GoLive's (\(others.map { SafeText.sanitize($0) }.joined(separator: ", "))); give GoLive a database of its own (createdb golive). Nothing was written")
                }
            }
            for n in v..<version {
                for statement in migrations[n].split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                    try journal.execute(PostgresQuery(unsafeSQL: statement), on: c)
                }
                try journal.execute("UPDATE golive_schema SET version = \(n + 1)", on: c)
            }
            return v
        }
        return from == version ? "\(location.shown): GoLive's schema is already at version \(version); nothing to do"
            : "\(location.shown): GoLive's schema \(from == 0 ? "created" : "brought forward from version \(from)") at version \(version)"
    }
}
#endif
