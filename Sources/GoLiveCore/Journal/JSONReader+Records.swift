/// The nested parts of records that are frequent or large, read in place with JSONDecoder's rules
/// (unknown keys skipped, optionals absent or null): through JSONDecoder, an adoption's files
/// (rollout.yaml's text is most of the record) were a quarter of a write at 8,000 items, and
/// session records a quarter of a rebuild (issue 30). DecoderDriftTests holds both readers to the
/// same answer on a value with every field set.
extension JSONReader {
    mutating func configFiles() throws -> [ConfigFile] {
        var out: [ConfigFile] = []
        try array { r in out.append(try r.configFile()) }
        return out
    }

    mutating func configFile() throws -> ConfigFile {
        var path: String?, sha256: String?, size: Int?, text: String?
        try fields { r, key in
            switch key {
            case "path": path = try r.string()
            case "sha256": sha256 = try r.string()
            case "size": size = try r.int()
            case "text": text = try r.optional { try $0.string() }
            default: try r.skipValue()
            }
        }
        guard let path, let sha256, let size else { throw fail("a configuration file needs path, sha256 and size") }
        return ConfigFile(path: path, sha256: sha256, size: size, text: text)
    }

    mutating func sessionInfo() throws -> SessionInfo {
        var id: String?, traceID: String?, operatorID: String?, osUser: String?, host: String?, pid: Int?, version: String?
        var terminal: String?, command: String?
        try fields { r, key in
            switch key {
            case "id": id = try r.string()
            case "trace_id": traceID = try r.string()
            case "operator": operatorID = try r.string()
            case "os_user": osUser = try r.string()
            case "host": host = try r.string()
            case "pid": pid = try r.int()
            case "version": version = try r.string()
            case "terminal": terminal = try r.optional { try $0.string() }
            case "command": command = try r.string()
            default: try r.skipValue()
            }
        }
        guard let id, let traceID, let operatorID, let osUser, let host, let pid, let version, let command else {
            throw fail("a session needs id, trace_id, operator, os_user, host, pid, version and command")
        }
        guard let pid32 = Int32(exactly: pid) else { throw fail("a session's pid out of range") }
        return SessionInfo(id: id, traceID: traceID, operatorID: operatorID, osUser: osUser, host: host, pid: pid32, version: version,
                           terminal: terminal, command: command)
    }
}
