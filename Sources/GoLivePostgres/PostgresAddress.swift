import Foundation
import GoLiveCore

/// Where a shared rollout lives: `postgres://user[:password]@host[:port]/database?rollout=NAME`,
/// with the usual PG* variables for what the address leaves out.
public struct PostgresAddress: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Nil only for commands that take the whole database (`store init`).
    public var rollout: String?
    /// What the server's pg_stat_activity shows for golive's sessions when the operator names it:
    /// `application_name=` in the address, else PGAPPNAME; nil leaves golive's own words.
    public var applicationName: String?

    /// The password libpq would find in the password file (PGPASSFILE, else ~/.pgpass): the first
    /// `host:port:database:user:password` line that matches, `*` matching anything, `\:` and `\\`
    /// escaped. As libpq does, a file that others may read is not used.
    public static func passwordFile(host: String, port: Int, database: String, user: String, environment: [String: String]) -> String? {
        let path = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, let (bytes, info) = SystemCall.readRegularFile(path, limit: 1 << 20), info.st_mode & 0o077 == 0 else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [], field = "", escaped = false
            for c in line {
                if escaped { field.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == ":" && fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else { field.append(c) }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses an address; `environment` gives PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment, needsRollout: Bool = true) throws {
        let shownText = PostgresAddress.masked(text)
        guard PostgresAddress.isAddress(text), let url = URLComponents(string: text) else {
            throw InputError("\(shownText) is not a PostgreSQL address; expected postgres://user@host:port/database?rollout=NAME")
        }
        host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGHOST"] ?? "localhost"
        if let p = url.port {
            port = p
        } else if let p = environment["PGPORT"] {
            guard let n = Int(p), (1...65535).contains(n) else { throw InputError("PGPORT=\(SafeText.sanitize(p)) is not a port number (1-65535)") }
            port = n
        } else {
            port = 5432
        }
        user = url.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? Identity.osUser()
        password = url.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        let path = String(url.path.drop(while: { $0 == "/" }))
        database = path.isEmpty ? (environment["PGDATABASE"] ?? user) : (path.removingPercentEncoding ?? path)
        let items = url.queryItems ?? []
        for item in items where !["rollout", "sslmode", "application_name"].contains(item.name) {
            throw InputError("\(shownText): unknown parameter '\(SafeText.sanitize(item.name))'; expected rollout=NAME (and sslmode or application_name)")
        }
        let named = (items.first(where: { $0.name == "application_name" })?.value ?? environment["PGAPPNAME"]).flatMap { $0.isEmpty ? nil : $0 }
        // Printable ASCII only, and no longer than the server keeps (NAMEDATALEN - 1).
        applicationName = named.map { String($0.filter { $0.asciiValue.map { (0x20..<0x7f).contains($0) } ?? false }.prefix(63)) }
        // libpq's PGSSLMODE asks for TLS as the address does: never silently ignored for cleartext.
        let asked = items.first(where: { $0.name == "sslmode" })?.value.map { ("sslmode=\($0)", $0) }
            ?? environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : ("PGSSLMODE=\($0) in the environment", $0) }
        if let (source, mode) = asked, !["disable", "prefer", "allow"].contains(mode) {
            throw InputError("\(shownText): \(SafeText.sanitize(source)) is not supported by this golive (it speaks to PostgreSQL without TLS); use a local server or an SSH tunnel")
        }
        if password == nil {
            password = PostgresAddress.passwordFile(host: host, port: port, database: database, user: user, environment: environment)
        }
        rollout = items.first(where: { $0.name == "rollout" })?.value
        if let rollout {
            guard !rollout.isEmpty, rollout.count <= 100, rollout.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw InputError("\(shownText): rollout '\(SafeText.sanitize(rollout))' must be 1-100 letters, digits, '-', '_' or '.'")
            }
        } else if needsRollout {
            throw InputError("\(shownText) names no rollout; add ?rollout=NAME (one database holds many rollouts)")
        }
    }

    /// An address as typed, for messages: the password replaced by ***.
    public static func masked(_ text: String) -> String {
        var out = text
        if let scheme = out.range(of: "://"), let at = out[scheme.upperBound...].firstIndex(of: "@"),
           let colon = out[scheme.upperBound..<at].firstIndex(of: ":") {
            out.replaceSubrange(out.index(after: colon)..<at, with: "***")
        }
        return SafeText.sanitize(out)
    }

    /// The address as shown: never the password.
    public var shown: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (rollout.map { "?rollout=\($0)" } ?? "")
    }

    /// This machine's copy of the rollout: $GOLIVE_CACHE, else $XDG_CACHE_HOME/golive, else ~/.cache/golive.
    public func copyFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = CacheFolder.base(environment: environment)
        let name = "\(host)-\(port)-\(database)-\(rollout ?? "")".map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }
        return base.appendingPathComponent(String(name))
    }
}
