// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import PostgresNIO

/// GoLive's tables and their version. A migration is added to `migrations`, never edited, so a
/// database made by any golive can be brought forward, and one made by a newer golive is refused.
public enum PostgresSchema {
    static let migrations: [[String]] = [
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
        """.split(separator: ";").map { String($0) },
        // The records are append-only in the database itself: UPDATE, DELETE and TRUNCATE are
        // refused to every role, the owner's included; only a superuser who disables the
        // triggers can rewrite history (and every machine that saw it then says so).
        [
            """
            CREATE FUNCTION golive_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'golive_records is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """,
            "CREATE TRIGGER golive_records_no_rewrite BEFORE UPDATE OR DELETE ON golive_records FOR EACH ROW EXECUTE FUNCTION golive_records_append_only()",
            "CREATE TRIGGER golive_records_no_truncate BEFORE TRUNCATE ON golive_records FOR EACH STATEMENT EXECUTE FUNCTION golive_records_append_only()",
        ],
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
        let at = "\(journal.location.server), database '\(journal.location.database)'"
        if v == 0 { throw InputError("PostgreSQL at \(at) holds no GoLive store; run `golive store init \(journal.location.shown)` first. Nothing was written") }
        if v > version { throw newer(v, at: at) }
        if v < version { throw InputError("PostgreSQL at \(at) has GoLive's schema version \(v); this golive needs \(version): run `golive store init` to bring it forward") }
    }

    static func newer(_ v: Int, at: String) -> InputError {
        InputError("PostgreSQL at \(at) was set up by a newer golive (schema version \(v); this one knows up to \(version)). Nothing was written; upgrade golive")
    }

    /// Creates or brings forward GoLive's tables, in one transaction. Returns what it did. A
    /// database holding other tables and none of GoLive's is not ours to write into.
    public static func initialise(_ location: PostgresAddress, granting role: String? = nil) throws -> String {
        if let role {
            guard role.count <= 63, let first = role.first, first.isLetter || first == "_",
                  role.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-$".contains($0)) }) else {
                throw InputError("--grant '\(SafeText.sanitize(role))' is not a role name golive grants to (letters, digits, '_', '-', '$'; up to 63)")
            }
        }
        let journal = PostgresJournal(location)
        let at = "\(location.server), database '\(location.database)'"
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
                for statement in migrations[n].map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                    try journal.execute(PostgresQuery(unsafeSQL: statement), on: c)
                }
                try journal.execute("UPDATE golive_schema SET version = \(n + 1)", on: c)
            }
            if let role {
                guard try !journal.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)", on: c) { _ in 0 }.isEmpty else {
                    throw InputError("PostgreSQL at \(at) has no role '\(role)'; create it first (CREATE ROLE \(role) LOGIN PASSWORD '…'). Nothing was changed")
                }
                let schema = try journal.query("SELECT current_schema()::text", on: c) { try $0.decode(String.self) }.first ?? "public"
                for statement in dailyGrants(to: role, schema: schema) { try journal.execute(PostgresQuery(unsafeSQL: statement), on: c) }
            }
            return v
        }
        let granted = role.map { "; role '\($0)' may read the rollouts and append records (SELECT, INSERT on golive_records), nothing else" } ?? ""
        return (from == version ? "\(location.shown): GoLive's schema is already at version \(version); nothing to do"
            : "\(location.shown): GoLive's schema \(from == 0 ? "created" : "brought forward from version \(from)") at version \(version)") + granted
    }

    /// What daily use needs and no more: read the schema version, the rollouts and the records,
    /// append records. Pushing a new rollout and `store init` stay with the owner.
    static func dailyGrants(to role: String, schema: String) -> [String] {
        let r = "\"\(role)\""
        return [
            "GRANT USAGE ON SCHEMA \"\(schema.replacingOccurrences(of: "\"", with: "\"\""))\" TO \(r)",
            "GRANT SELECT ON golive_schema, golive_rollouts, golive_records TO \(r)",
            "GRANT INSERT ON golive_records TO \(r)",
        ]
    }

}
#endif
