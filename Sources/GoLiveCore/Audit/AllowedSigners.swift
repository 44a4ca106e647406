import Foundation

/// An OpenSSH allowed_signers file an auditor supplies (`audit verify --allowed-signers`): who may
/// sign as whom, for which namespace and when, read as `ssh-keygen -Y verify` reads it
/// (sshd(8) "ALLOWED SIGNERS"). GoLive then believes a signature only where the auditor's file
/// would, whatever the journal's own roster says.
public struct AllowedSigners: Sendable {
    public struct Entry: Sendable {
        public var principals: [String]
        public var namespaces: [String]?
        public var validAfter: Date?
        public var validBefore: Date?
        public var key: SSHPublicKey
        public var line: Int
    }

    public var entries: [Entry] = []

    /// Parses the file's text; an entry it cannot read is an error at its file:line:column,
    /// never skipped (a skipped line would be a signer silently dropped or added).
    public init(text: String, file: String) throws {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let column = line.count - trimmed.count + 1
            func fail(_ at: Int, _ message: String) -> ConfigError { ConfigError(file: file, line: i + 1, column: at, message: message) }
            var rest = Substring(trimmed)
            let principals = Self.word(&rest)
            var options: [String: String?] = [:]
            var keyColumn = column + (trimmed.count - rest.count)
            if let first = Self.peek(rest), !Self.isKeyType(first) {
                let optionColumn = keyColumn
                let text = Self.optionsWord(&rest)
                guard let parsed = Self.options(text) else { throw fail(optionColumn, "options '\(text)' cannot be read; expected name=\"value\" pairs separated by commas") }
                options = parsed
                keyColumn = column + (trimmed.count - rest.count)
            }
            if options.keys.contains("cert-authority") {
                throw fail(column, "cert-authority entries are not supported: list each signer's own key")
            }
            let keyText = String(rest).trimmingCharacters(in: .whitespaces)
            let key: SSHPublicKey
            do { key = try SSHPublicKey(line: keyText) } catch { throw fail(keyColumn, "\(error)") }
            var entry = Entry(principals: principals.split(separator: ",").map(String.init), key: key, line: i + 1)
            if case let value?? = options["namespaces"] { entry.namespaces = value.split(separator: ",").map(String.init) }
            for (name, keyPath) in [("valid-after", \Entry.validAfter), ("valid-before", \Entry.validBefore)] {
                guard case let value?? = options[name] else { continue }
                guard let date = Self.time(value) else {
                    throw fail(column, "\(name)=\"\(value)\" is not a time; expected YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]")
                }
                entry[keyPath: keyPath] = date
            }
            entries.append(entry)
        }
    }

    /// Whether the file lets `key` sign as `principal` in GoLive's namespace at `time`.
    public func allows(principal: String, key: SSHPublicKey, at time: Date) -> Bool {
        entries.contains { e in
            e.key == key && Self.matches(principal, list: e.principals)
                && (e.namespaces.map { Self.matches(Journal.signatureNamespace, list: $0) } ?? true)
                && (e.validAfter.map { time >= $0 } ?? true) && (e.validBefore.map { time <= $0 } ?? true)
        }
    }

    /// One allowed_signers line, as `team allowed-signers` prints it; times are in UTC (`Z`),
    /// `valid-after` rounded down and `valid-before` up to the second, so the edges still count.
    public static func line(principal: String, key: SSHPublicKey, validAfter: Date? = nil, validBefore: Date? = nil) -> String {
        var options = ["namespaces=\"\(Journal.signatureNamespace)\""]
        if let validAfter { options.append("valid-after=\"\(stamp(validAfter.timeIntervalSince1970.rounded(.down)))\"") }
        if let validBefore { options.append("valid-before=\"\(stamp(validBefore.timeIntervalSince1970.rounded(.up)))\"") }
        return "\(principal) \(options.joined(separator: ",")) \(key.line)\(key.comment.isEmpty ? "" : " \(SafeText.sanitize(key.comment))")"
    }

    /// `ssh-keygen -O verify-time=` for a record's time.
    public static func stamp(_ seconds: TimeInterval) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmss"
        return f.string(from: Date(timeIntervalSince1970: seconds)) + "Z"
    }

    static func isKeyType(_ word: Substring) -> Bool {
        word.hasPrefix("ssh-") || word.hasPrefix("ecdsa-") || word.hasPrefix("sk-") || word.hasPrefix("rsa-")
    }

    static func peek(_ s: Substring) -> Substring? {
        let t = s.drop { $0 == " " || $0 == "\t" }
        let w = t.prefix { $0 != " " && $0 != "\t" }
        return w.isEmpty ? nil : w
    }

    static func word(_ s: inout Substring) -> String {
        s = s.drop { $0 == " " || $0 == "\t" }
        let w = s.prefix { $0 != " " && $0 != "\t" }
        s = s.dropFirst(w.count)
        return String(w)
    }

    /// The options word: up to the first blank outside quotes.
    static func optionsWord(_ s: inout Substring) -> String {
        s = s.drop { $0 == " " || $0 == "\t" }
        var quoted = false, end = s.startIndex
        while end < s.endIndex, quoted || (s[end] != " " && s[end] != "\t") {
            if s[end] == "\"" { quoted.toggle() }
            end = s.index(after: end)
        }
        let w = String(s[..<end])
        s = s[end...]
        return w
    }

    static func options(_ text: String) -> [String: String?]? {
        var out: [String: String?] = [:]
        var name = "", value: String?, quoted = false
        func flush() -> Bool {
            guard !name.isEmpty else { return false }
            out[name.lowercased()] = value
            name = ""; value = nil
            return true
        }
        for c in text {
            if quoted {
                if c == "\"" { quoted = false } else { value?.append(c) }
            } else if c == "," {
                guard flush() else { return nil }
            } else if c == "=" && value == nil {
                value = ""
            } else if c == "\"" && value == "" {
                quoted = true
            } else if value != nil {
                value?.append(c)
            } else {
                name.append(c)
            }
        }
        guard !quoted, flush() else { return nil }
        return out
    }

    static func time(_ text: String) -> Date? {
        var t = text, utc = false
        if t.hasSuffix("Z") || t.hasSuffix("z") { utc = true; t.removeLast() }
        guard t.allSatisfy(\.isNumber), [8, 12, 14].contains(t.count) else { return nil }
        if t.count == 8 { t += "0000" }
        if t.count == 12 { t += "00" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = utc ? TimeZone(identifier: "UTC") : TimeZone.current
        f.dateFormat = "yyyyMMddHHmmss"
        return f.date(from: t)
    }

    /// OpenSSH's pattern lists (match_pattern_list): `*` and `?`; a `!pattern` that matches
    /// refuses whatever else matches.
    static func matches(_ name: String, list: [String]) -> Bool {
        var matched = false
        for pattern in list {
            if pattern.hasPrefix("!") {
                if fnmatch(String(pattern.dropFirst()), name, 0) == 0 { return false }
            } else if fnmatch(pattern, name, 0) == 0 {
                matched = true
            }
        }
        return matched
    }
}
