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
    /// libpq's sslmode: `prefer` unless the address (sslmode=) or PGSSLMODE says otherwise.
    public var sslMode: SSLMode
    /// The CA certificate(s) a verify-ca or verify-full connection trusts (sslrootcert=,
    /// PGSSLROOTCERT, else ~/.postgresql/root.crt as libpq reads it; `system` for the system's).
    public var sslRootCert: String?

    /// The TLS libpq's sslmode asks for. `allow` tries TLS first, as `prefer` does: it never
    /// settles for less than libpq would.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        /// Whether the connection is refused without TLS.
        public var requiresTLS: Bool { self == .require || self == .verifyCA || self == .verifyFull }
    }

    /// The folder of the server's Unix socket when `host` is a path (as libpq reads a host
    /// beginning with `/`, in the address's `host=` or PGHOST); nil for TCP.
    public var socketDirectory: String? { host.hasPrefix("/") ? host : nil }

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
        let items = url.queryItems ?? []
        host = items.first(where: { $0.name == "host" })?.value.flatMap { $0.isEmpty ? nil : $0 }
            ?? url.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding ?? $0 } ?? environment["PGHOST"] ?? "localhost"
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
        for item in items where !["rollout", "sslmode", "sslrootcert", "host", "application_name"].contains(item.name) {
            throw InputError("\(shownText): unknown parameter '\(SafeText.sanitize(item.name))'; expected rollout=NAME (and sslmode, sslrootcert, host or application_name)")
        }
        let named = (items.first(where: { $0.name == "application_name" })?.value ?? environment["PGAPPNAME"]).flatMap { $0.isEmpty ? nil : $0 }
        // Printable ASCII only, and no longer than the server keeps (NAMEDATALEN - 1).
        applicationName = named.map { String($0.filter { $0.asciiValue.map { (0x20..<0x7f).contains($0) } ?? false }.prefix(63)) }
        // libpq's PGSSLMODE asks for TLS as the address does: never silently ignored for cleartext.
        let asked = items.first(where: { $0.name == "sslmode" })?.value.map { ("sslmode=\($0)", $0) }
            ?? environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : ("PGSSLMODE=\($0) in the environment", $0) }
        if let (source, mode) = asked {
            guard let known = SSLMode(rawValue: mode) else {
                throw InputError("\(shownText): \(SafeText.sanitize(source)) is not an sslmode; expected one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = known
        } else {
            sslMode = .prefer
        }
        let rootCert = items.first(where: { $0.name == "sslrootcert" })?.value ?? environment["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
        if let rootCert {
            sslRootCert = rootCert
        } else if sslMode == .verifyCA || sslMode == .verifyFull {
            // libpq's default, and its refusal when it is not there: a verified connection with nothing to verify against is no connection.
            let home = environment["HOME"] ?? NSHomeDirectory()
            let fallback = home + "/.postgresql/root.crt"
            guard FileManager.default.fileExists(atPath: fallback) else {
                throw InputError("\(shownText): sslmode=\(sslMode.rawValue) needs the CA certificate to verify the server against: sslrootcert=FILE in the address, PGSSLROOTCERT, or \(fallback) (sslrootcert=system for the system's CAs)")
            }
            sslRootCert = fallback
        } else {
            sslRootCert = nil
        }
        if let rootCert = sslRootCert, rootCert != "system", !FileManager.default.isReadableFile(atPath: rootCert) {
            throw InputError("\(shownText): sslrootcert \(SafeText.sanitize(rootCert)) cannot be read")
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
        let at = socketDirectory.map { _ in "" } ?? "\(host):\(port)"
        var query = (rollout.map { ["rollout=\($0)"] } ?? []) + (socketDirectory.map { ["host=\($0)"] } ?? [])
        if sslMode != .prefer && socketDirectory == nil { query.append("sslmode=\(sslMode.rawValue)") }
        return "postgres://\(user)@\(at)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// The server as messages name it: host and port, or the socket.
    public var server: String {
        socketDirectory.map { "the socket in \($0) (port \(port))" } ?? "\(host):\(port)"
    }

    /// This machine's copy of the rollout: $GOLIVE_CACHE, else $XDG_CACHE_HOME/golive, else ~/.cache/golive.
    public func copyFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = CacheFolder.base(environment: environment)
        let name = "\(host)-\(port)-\(database)-\(rollout ?? "")".map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }
        return base.appendingPathComponent(String(name))
    }
}
