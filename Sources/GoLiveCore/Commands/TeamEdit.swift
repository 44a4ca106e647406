import Foundation

/// `golive team add` and `team remove`: the one edit of rollout.yaml GoLive makes, and only when
/// asked. The text is changed line by line (comments and layout kept), checked by parsing the
/// whole configuration, and written in one piece; like any edit it counts once adopted.
public enum TeamEdit {
    static let idCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")

    /// `text` with `member` as the team's first entry.
    public static func adding(_ member: Operator, to text: String) throws -> String {
        for word in [member.id] + member.roles where word.isEmpty || !word.unicodeScalars.allSatisfy(idCharacters.contains) {
            throw InputError("'\(word)' is not a usable id or role: use letters, digits, '_', '.' and '-'")
        }
        var lines = text.components(separatedBy: "\n")
        guard let at = lines.firstIndex(where: { $0.hasPrefix("team:") }) else {
            throw InputError("rollout.yaml has no top-level 'team:' section to add \(member.id) to")
        }
        let rest = lines[at].dropFirst("team:".count).trimmingCharacters(in: .whitespaces)
        let keys = member.keys.map { "\"\($0.line)\($0.comment.isEmpty ? "" : " \($0.comment.replacingOccurrences(of: "\"", with: "'"))")\"" }
        let entry = "{id: \(member.id), name: \(member.id), roles: [\(member.roles.joined(separator: ", "))]\(keys.isEmpty ? "" : ", keys: [\(keys.joined(separator: ", "))]")}"
        if rest == "[]" {
            lines[at] = "team:"
            lines.insert("  - " + entry, at: at + 1)
        } else {
            guard rest.isEmpty || rest.hasPrefix("#") else { throw InputError("rollout.yaml's team is written inline ('team: \(rest)'); write it as a list to use team add") }
            let next = lines[(at + 1)...].first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            let indent = next.map { String($0.prefix { $0 == " " }) } ?? "  "
            lines.insert(indent + "- " + entry, at: at + 1)
        }
        return lines.joined(separator: "\n")
    }

    /// `text` without the team entry whose id is `id`.
    public static func removing(_ id: String, from text: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        guard let team = lines.firstIndex(where: { $0.hasPrefix("team:") }) else { throw InputError("rollout.yaml has no top-level 'team:' section") }
        var i = team + 1
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !line.hasPrefix(" ") && !line.hasPrefix("-") && !trimmed.isEmpty && !trimmed.hasPrefix("#") { break }
            let indent = line.prefix { $0 == " " }.count
            if trimmed.hasPrefix("- ") {
                let body = trimmed.dropFirst(2).trimmingCharacters(in: CharacterSet(charactersIn: "{ "))
                if body.hasPrefix("id:"), body.dropFirst(3).trimmingCharacters(in: .whitespaces).prefix(while: { $0 != "," && $0 != "}" && $0 != " " }) == id {
                    var end = i + 1
                    while end < lines.count {
                        let l = lines[end], t = l.trimmingCharacters(in: .whitespaces)
                        if !t.isEmpty && l.prefix(while: { $0 == " " }).count <= indent { break }
                        end += 1
                    }
                    lines.removeSubrange(i..<end)
                    return lines.joined(separator: "\n")
                }
            }
            i += 1
        }
        throw InputError("no team member '\(id)' in rollout.yaml")
    }

    /// Writes the edited text in one piece if the configuration still parses; else nothing changes.
    public static func apply(_ edit: (String) throws -> String, store: Store) throws {
        let url = store.rolloutURL
        // Never through a link: the edit is of the store's own rollout.yaml.
        guard let before = SystemCall.readRegularFile(url.path, limit: 32 << 20)?.bytes else {
            throw InputError("\(url.path) is not a regular file GoLive can edit (missing, a link, or over 32 MiB)")
        }
        let after = try edit(String(decoding: before, as: UTF8.self))
        try DurableFile.write(Array(after.utf8), to: url)
        do {
            _ = try store.loadConfig()
        } catch {
            try DurableFile.write(before, to: url)
            throw error
        }
    }
}
