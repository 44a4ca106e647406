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
        for item in items where !["rollout", "sslmode"].contains(item.name) {
            throw InputError("\(shownText): unknown parameter '\(SafeText.sanitize(item.name))'; expected rollout=NAME")
        }
        // libpq's PGSSLMODE asks for TLS as the address does: never silently ignored for cleartext.
        let asked = items.first(where: { $0.name == "sslmode" })?.value.map { ("sslmode=\($0)", $0) }
            ?? environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : ("PGSSLMODE=\($0) in the environment", $0) }
        if let (source, mode) = asked, !["disable", "prefer", "allow"].contains(mode) {
            throw InputError("\(shownText): \(SafeText.sanitize(source)) is not supported by this golive (it speaks to PostgreSQL without TLS); use a local server or an SSH tunnel")
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
