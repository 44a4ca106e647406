import Foundation
import Yams

public enum RolloutConfigParser {
    static let topKeys = ["name", "version", "description", "identity", "policy", "team", "tenants", "capabilities", "items", "hooks"]
    static let capabilityKeys = ["name", "description", "high_risk", "direct_access"] + CapabilityField.allCases.map(\.rawValue)
    static let itemKeys = ["contour", "title", "why", "severity", "owner", "probe"]
    static let probeKeys = ["command", "args", "workdir", "timeout_seconds", "expect_exit", "max_age_minutes"]

    /// Reads `<store>/rollout.yaml`, the policy file it names (relative to the store) and the
    /// scripts it runs; `files` holds all of them, `sha256` their digest.
    /// rollout.yaml's bytes and their SHA-256, read ahead of `load` (see Store.loadConfig).
    public struct ReadAhead: Sendable {
        let data: Data
        let digest: String
    }

    public static func readAhead(directory: URL) -> ReadAhead? {
        let path = directory.appending(path: "rollout.yaml", directoryHint: .notDirectory).path
        // The same file read before in this process (the store agent, command after command): not
        // read again while its identity (inode, size, modification and status-change times) is
        // the same; any write changes one of them (see FileIdentity).
        let identity = FileIdentity.of(path, followingLinks: true)
        if let identity, let kept = readAheads.withLock({ $0[path] }), kept.identity == identity { return kept.read }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let read = ReadAhead(data: data, digest: Digest.sha256Hex(data))
        if let identity {
            readAheads.withLock { kept in
                if kept.count >= 8 { kept.removeAll() }
                kept[path] = (identity, read)
            }
        }
        return read
    }

    static let readAheads = Locked<[String: (identity: FileIdentity, read: ReadAhead)]>([:])

    public static func load(directory: URL, readAhead: ReadAhead? = nil) throws -> RolloutConfig {
        let url = directory.appending(path: "rollout.yaml", directoryHint: .notDirectory)
        guard let data = readAhead?.data ?? FileManager.default.contents(atPath: url.path) else {
            throw InputError("no rollout.yaml in \(directory.path): create a store with `golive init` or point --store at one")
        }
        func policyURL(_ relative: String) -> URL {
            relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : directory.appendingPathComponent(relative)
        }
        // One command reads the configuration more than once (the CLI, the core, the check of a
        // script): the same bytes are parsed, hashed and validated once per process.
        // With a read ahead, by its digest (kept with it): comparing 1.2 MB at 8,000 items was 5% of
        // a write in the store agent.
        if let memo = parsed.withLock({ $0[url.path] }), readAhead.map({ $0.digest == memo.file.sha256 }) ?? (memo.rollout == data) {
            let bytes = memo.policy.flatMap { FileManager.default.contents(atPath: policyURL($0).path) }
            if bytes == memo.policyBytes { return finish(memo.config, rollout: memo.file, policyBytes: bytes, directory: directory) }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: url.path, line: 1, column: 1, message: "rollout.yaml is not UTF-8 text")
        }
        var policyBytes: Data?
        // rollout.yaml's digest, once: the name of its kept parse and its ConfigFile's hash.
        let digest = readAhead?.digest ?? Digest.sha256Hex(data)
        let rollout = ConfigFile(path: "rollout.yaml", bytes: data, sha256: digest, text: text)
        // The configuration in force, when these are its files: judged from its adoption record
        // (and parsed from its texts, or kept in the cache as that record vouches) while the
        // state was read. Nothing read from the cache here is believed on its own.
        if let inForce = inForceMemo(rollout: digest) {
            let policyBytes = inForce.policyFile.flatMap { FileManager.default.contents(atPath: policyURL($0).path) }
            let onDisk = withFiles(inForce, rollout: rollout, policyBytes: policyBytes, directory: directory)
            if onDisk.sha256 == inForce.sha256 {
                remember(url.path, onDisk, rollout: (data, rollout), policyBytes: policyBytes)
                return onDisk
            }
        }
        let cache = ParsedConfigCache.folder
        let config = try parse(text: text, file: url.path, policyText: { relative in
            let url = policyURL(relative)
            guard let bytes = FileManager.default.contents(atPath: url.path) else {
                throw InputError("\(url.path): cannot read the policy file (does it exist?)")
            }
            guard let policy = String(data: bytes, encoding: .utf8) else {
                throw ConfigError(file: url.path, line: 1, column: 1, message: "the policy is not UTF-8 text")
            }
            policyBytes = bytes
            return (policy, url.path)
        })
        remember(url.path, config, rollout: (data, rollout), policyBytes: policyBytes)
        if let cache { ParsedConfigCache.save(config, in: cache, rollout: digest, policyBytes: policyBytes) }
        return finish(config, rollout: rollout, policyBytes: policyBytes, directory: directory)
    }

    static func remember(_ path: String, _ config: RolloutConfig, rollout: (bytes: Data, file: ConfigFile), policyBytes: Data?) {
        parsed.withLock { memo in
            if memo.count > 8 { memo.removeAll() }
            memo[path] = (config, rollout.bytes, rollout.file, config.policyFile, policyBytes)
        }
    }

    /// By rollout.yaml's path: the bytes parsed, their ConfigFile, and the policy file read with them.
    static let parsed = Locked<[String: (config: RolloutConfig, rollout: Data, file: ConfigFile, policy: String?, policyBytes: Data?)]>([:])

    /// The files of a parsed configuration read now: the scripts are read at every load, so an
    /// edited script is seen even when the YAML texts were parsed before.
    static func finish(_ parsed: RolloutConfig, rollout: ConfigFile, policyBytes: Data?, directory: URL) -> RolloutConfig {
        let config = withFiles(parsed, rollout: rollout, policyBytes: policyBytes, directory: directory)
        rememberInForce(config)
        return config
    }

    /// `parsed` with the files read now and their digest, remembered nowhere: a parse of other
    /// texts must never be kept under these files' digest.
    static func withFiles(_ parsed: RolloutConfig, rollout: ConfigFile, policyBytes: Data?, directory: URL) -> RolloutConfig {
        var config = parsed
        var files = [rollout]
        if let relative = config.policyFile { files.append(ConfigFile(path: relative, bytes: policyBytes, alwaysText: true)) }
        for command in scriptPaths(config) {
            let scriptURL = command.hasPrefix("/") ? URL(fileURLWithPath: command) : directory.appendingPathComponent(command)
            files.append(ConfigFile(path: command, bytes: FileManager.default.contents(atPath: scriptURL.path)))
        }
        config.files = files
        config.sha256 = ConfigFile.digest(files)
        return config
    }

    /// The configuration as a journal record adopted it: parsed from the recorded texts, never
    /// from the files on disk (which may have changed since). Who may adopt the next configuration
    /// is decided by this one, so adding yourself as captain on disk does not let you adopt.
    public static func parse(adopted files: [ConfigFile]) throws -> RolloutConfig {
        parses?.add()
        guard let rollout = files.first(where: { $0.path == "rollout.yaml" })?.text else {
            throw InputError("the adopted configuration holds no rollout.yaml text")
        }
        var config = try parse(text: rollout, file: "rollout.yaml (adopted)", policyText: { relative in
            guard let text = files.first(where: { $0.path == relative })?.text else {
                throw InputError("the adopted configuration holds no text for \(relative)")
            }
            return (text, "\(relative) (adopted)")
        })
        config.files = files
        config.sha256 = ConfigFile.digest(files)
        return config
    }

    /// The configuration in force as adopted (`parse(adopted:)`), shared within the process by the
    /// files' digest: the judge asks for it at every fold, and the same bytes parse the same.
    ///
    /// `vouched`: the parse's digest named by the adoption record (`parsed_sha256`); a parse kept
    /// in the cache with that digest is used instead of parsing. `stands`: whether that record
    /// is known to stand (folded by the judge, or walked): only then is a kept parse shared with
    /// the rest of the process, so that a refused record never vouches for anything beyond its
    /// own judgement.
    public static func inForce(files: [ConfigFile], vouched: String? = nil, stands: Bool = true) throws -> RolloutConfig {
        let digest = ConfigFile.digest(files)
        if let memo = inForceMemo(digest) { return memo }
        if let vouched, let kept = keptParse(files, vouched: vouched) {
            if stands { rememberInForce(kept) }
            return kept
        }
        let config = try parse(adopted: files)
        rememberInForce(config)
        if let cache = ParsedConfigCache.folder, let rollout = files.first(where: { $0.path == "rollout.yaml" }) {
            ParsedConfigCache.save(config, in: cache, rollout: rollout.sha256, policyBytes: adoptedPolicyBytes(config, files))
        }
        return config
    }

    static func adoptedPolicyBytes(_ config: RolloutConfig, _ files: [ConfigFile]) -> Data? {
        config.policyFile.flatMap { path in files.first { $0.path == path }?.text.map { Data($0.utf8) } }
    }

    /// The parse kept for these adopted files whose body is the vouched one, with the files set.
    static func keptParse(_ files: [ConfigFile], vouched: String) -> RolloutConfig? {
        // The same files and vouched body give the same parse: a snapshot's proof reads it while
        // walking the adoptions (before they are shown to stand) and again as the one in force.
        let memoKey = ConfigFile.digest(files) + " " + vouched
        if var memo = keptParses.withLock({ $0[memoKey] }) {
            memo.files = files
            return memo
        }
        guard let kept = readKeptParse(files, vouched: vouched) else { return nil }
        keptParses.withLock { memo in
            if memo.count >= 8 { memo.removeAll() }
            memo[memoKey] = kept
        }
        return kept
    }

    static let keptParses = Locked<[String: RolloutConfig]>([:])

    private static func readKeptParse(_ files: [ConfigFile], vouched: String) -> RolloutConfig? {
        guard let cache = ParsedConfigCache.folder, let rollout = files.first(where: { $0.path == "rollout.yaml" }), let text = rollout.text,
              var config = ParsedConfigCache.load(from: cache, rollout: rollout.sha256, vouched: vouched,
                                                  policyBytes: { path in files.first { $0.path == path }?.text.map { Data($0.utf8) } },
                                                  reparse: { try? parse(text: text, file: "rollout.yaml (adopted)", policyText: { _ in (Policy.sectionNineYAML, "<default policy>") }).catalog })
        else { return nil }
        config.files = files
        config.sha256 = ConfigFile.digest(files)
        return config
    }

    public static func inForceMemo(_ digest: String) -> RolloutConfig? { inForceParses.withLock { $0[digest] } }

    /// A parse in force in this process whose rollout.yaml has the SHA-256 `rollout`.
    static func inForceMemo(rollout: String) -> RolloutConfig? {
        inForceParses.withLock { $0.values.first { $0.files.first { $0.path == "rollout.yaml" }?.sha256 == rollout } }
    }

    /// A parse whose files are these exact bytes (from disk or from a record) serves both.
    static func rememberInForce(_ config: RolloutConfig) {
        guard !config.files.isEmpty else { return }
        inForceParses.withLock { memo in
            if memo.count >= 8 { memo.removeAll() }
            memo[config.sha256] = config
        }
    }

    static let inForceParses = Locked<[String: RolloutConfig]>([:])

    /// Counts the parses of adopted texts where a test asks (`$parses.withValue`): reading a
    /// parse an adoption vouches for must parse nothing.
    @TaskLocal static var parses: ParseCount?

    final class ParseCount: Sendable {
        private let counted = Locked(0)
        var count: Int { counted.withLock { $0 } }
        func add() { counted.withLock { $0 += 1 } }
    }

    /// Forgets every parse this process holds (tests: a new command's view).
    static func forgetParses() {
        inForceParses.withLock { $0.removeAll() }
        parsed.withLock { $0.removeAll() }
        keptParses.withLock { $0.removeAll() }
    }

    /// What the emergency levers (hold, rollback) need when the configuration does not load:
    /// the team and the transition hook from rollout.yaml, and the policy if it parses, else its
    /// defaults. A broken section elsewhere (a waiver's `max_days: thirty`) must not keep traffic
    /// where it is. If the team or the hook themselves do not parse, nothing can be salvaged.
    public static func loadForLevers(directory: URL, error original: Error) throws -> RolloutConfig {
        let url = directory.appendingPathComponent("rollout.yaml")
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else { throw original }
        let doc = try YAMLDocument(file: url.path, text: text)
        guard let root = doc.root, case .mapping = root else { throw original }
        var config = RolloutConfig(name: "", version: "", policy: Policy(require: [], blockIf: []))
        var policyFile: String?
        for (key, _, value) in try doc.mapping(root, allowed: topKeys, what: "rollout.yaml") {
            switch key {
            case "name": config.name = (try? doc.string(value, what: "'name'")) ?? directory.lastPathComponent
            case "version": config.version = (try? doc.string(value, what: "'version'")) ?? "unversioned"
            case "team": config.team = try parseTeam(doc, value)
            case "identity": config.identity = (try? doc.string(value, what: "'identity'")).flatMap(IdentityMode.init(rawValue:)) ?? .signed
            case "tenants": config.tenants = (try? parseTenants(doc, value)) ?? []
            case "policy": policyFile = try? doc.string(value, what: "'policy'")
            case "hooks":
                // A broken alert route must not keep the levers from the transition hook.
                do { try parseHooks(doc, value, into: &config) } catch {
                    if case let .mapping(m) = value, let hook = m["transition"] { config.transitionHook = try doc.string(hook, what: "'transition'") }
                }
            default: break
            }
        }
        guard !config.team.isEmpty else { throw original }
        config.catalog = DefaultCatalog.items
        if let policyFile {
            let policyURL = policyFile.hasPrefix("/") ? URL(fileURLWithPath: policyFile) : directory.appendingPathComponent(policyFile)
            if let policy = try? PolicyParser.parse(file: policyURL, knownItems: Set(config.catalog.map(\.id))) { config.policy = policy }
        }
        config.sha256 = "salvaged:" + Digest.sha256Hex(data)
        return config
    }

    /// The scripts the configuration runs (the transition hook, probe commands other than
    /// builtins): their bytes are part of the configuration, so that decisions bound to it lapse
    /// when a script behind them is replaced. A bare name (`sh`, `curl`) is found on PATH, not in
    /// the store: it is the machine's program, not the configuration's.
    static func scriptPaths(_ config: RolloutConfig) -> [String] {
        var commands = config.transitionHook.flatMap { $0.split(separator: " ").first.map(String.init) }.map { [$0] } ?? []
        commands += config.definitions.probeCommands.filter { !$0.hasPrefix("builtin:") }
        commands += config.alertRoutes.compactMap { $0.command.split(separator: " ").first.map(String.init) }
        return Array(Set(commands.filter { $0.contains("/") })).sorted()
    }

    public static func parse(text: String, file: String, policyText: (String) throws -> (String, String)) throws -> RolloutConfig {
        let doc = try YAMLDocument(file: file, text: text)
        guard let root = doc.root else { throw ConfigError(file: file, line: 1, column: 1, message: "rollout.yaml is empty; expected name, version, team, capabilities") }
        var name = "", version = ""
        var config = RolloutConfig(name: "", version: "", policy: Policy(require: [], blockIf: []))
        var policyNode: Node?, identityNode: Node?
        var catalog = DefaultCatalog.items
        for (key, _, value) in try doc.mapping(root, allowed: topKeys, what: "rollout.yaml") {
            switch key {
            case "name": name = try doc.string(value, what: "'name'")
            case "version": version = try doc.string(value, what: "'version'")
            case "description": config.description = try doc.string(value, what: "'description'")
            case "identity":
                let mode = try doc.string(value, what: "'identity'")
                guard let identity = IdentityMode(rawValue: mode) else {
                    throw doc.error(value, "'identity' must be 'signed' (decisions signed with the operators' SSH keys) or 'names' (typed names, for a one-person trial), found '\(mode)'")
                }
                config.identity = identity
                identityNode = value
            case "policy": policyNode = value
            case "team": config.team = try parseTeam(doc, value)
            case "tenants": config.tenants = try parseTenants(doc, value)
            case "capabilities": config.capabilities = try parseCapabilities(doc, value)
            case "items": catalog = try parseItems(doc, value, base: catalog)
            case "hooks": try parseHooks(doc, value, into: &config)
            default: break
            }
        }
        guard !name.isEmpty else { throw doc.error(root, "rollout.yaml needs a 'name'") }
        config.name = name
        config.version = version.isEmpty ? "unversioned" : version
        config.catalog = catalog
        let known = Set(catalog.map(\.id))
        if let policyNode {
            let relative = try doc.string(policyNode, what: "'policy' (a path to the policy file)")
            let (policy, display) = try policyText(relative)
            config.policy = try PolicyParser.parse(text: policy, file: display, knownItems: known)
            config.policyFile = relative
        } else {
            config.policy = try PolicyParser.parse(text: Policy.sectionNineYAML, file: "<default policy>", knownItems: known)
        }
        if config.identity == .names, config.policy.approvals.touch != nil || config.team.contains(where: { $0.touch != nil }) {
            throw doc.error(identityNode, "'touch' asks what a signature shows, and identity: names signs nothing; use identity: signed")
        }
        config.sha256 = Digest.sha256Hex(Data(text.utf8))
        return config
    }

    static func parseTeam(_ doc: YAMLDocument, _ node: Node) throws -> [Operator] {
        var seen = Set<String>()
        var seenKeys: [SSHPublicKey: String] = [:]
        return try doc.sequence(node, what: "'team'").map { entry in
            var id = "", name = "", roles: [String] = [], keys: [SSHPublicKey] = [], automation = false
            var touch: (TouchRequirement, Node)?
            for (k, _, v) in try doc.mapping(entry, allowed: ["id", "name", "roles", "keys", "automation", "touch"], what: "a team member") {
                switch k {
                case "touch": touch = (try Self.touch(doc, v), v)
                case "automation": automation = try doc.bool(v, what: "'automation' (true for a CI job or a timer, not a person)")
                case "id": id = try doc.string(v, what: "'id'")
                case "name": name = try doc.string(v, what: "'name'")
                case "keys":
                    for (line, node) in try doc.stringList(v, what: "'keys' (OpenSSH public keys, as in ~/.ssh/id_ed25519.pub)") {
                        do { keys.append(try SSHPublicKey(line: line)) } catch {
                            throw doc.error(node, "not a usable key: \(error)")
                        }
                        // One key is one person: shared, it would let one person count as two approvers.
                        if let owner = seenKeys[keys.last!] {
                            throw doc.error(node, "key \(keys.last!.fingerprint) is also listed for '\(owner)'; each key belongs to one operator")
                        }
                        seenKeys[keys.last!] = id.isEmpty ? "another member" : id
                    }
                default: roles = try doc.stringList(v, what: "'roles'").map(\.0)
                }
            }
            guard !id.isEmpty else { throw doc.error(entry, "a team member needs an 'id' (the name used with --as)") }
            guard seen.insert(id).inserted else { throw doc.error(entry, "team member '\(id)' is listed twice") }
            guard !roles.isEmpty else { throw doc.error(entry, "team member '\(id)' needs at least one role") }
            var member = Operator(id: id, name: name.isEmpty ? id : name, roles: roles, keys: keys)
            member.automation = automation
            if let (touch, node) = touch {
                // A requirement no key of theirs can meet would lock the person out without a word.
                guard keys.contains(where: \.type.isHardware) else {
                    throw doc.error(node, "touch: \(touch.rawValue) needs a hardware key (sk-ssh-ed25519@openssh.com or sk-ecdsa-sha2-nistp256@openssh.com) among \(id)'s keys; they list \(keys.isEmpty ? "none" : Set(keys.map(\.type.rawValue)).sorted().joined(separator: ", "))")
                }
                member.touch = touch
            }
            return member
        }
    }

    static func touch(_ doc: YAMLDocument, _ node: Node) throws -> TouchRequirement {
        let word = try doc.string(node, what: "'touch'")
        guard let touch = TouchRequirement(rawValue: word) else {
            throw doc.error(node, "'touch' is present (the hardware key was touched) or verified (touched, with a PIN or fingerprint), not '\(word)'")
        }
        return touch
    }

    static func parseTenants(_ doc: YAMLDocument, _ node: Node) throws -> [Tenant] {
        var total = 0.0
        let tenants = try doc.sequence(node, what: "'tenants'").map { entry -> Tenant in
            var t = Tenant(id: "", name: "", sharePct: -1)
            for (k, _, v) in try doc.mapping(entry, allowed: ["id", "name", "share_pct", "excluded", "note"], what: "a tenant") {
                switch k {
                case "id": t.id = try doc.string(v, what: "'id'")
                case "name": t.name = try doc.string(v, what: "'name'")
                case "share_pct":
                    t.sharePct = try doc.double(v, what: "'share_pct'")
                    guard t.sharePct >= 0 && t.sharePct <= 100 else { throw doc.error(v, "'share_pct' must be between 0 and 100") }
                case "excluded": t.excluded = try doc.bool(v, what: "'excluded'")
                default: t.note = try doc.string(v, what: "'note'")
                }
            }
            guard !t.id.isEmpty, t.sharePct >= 0 else { throw doc.error(entry, "a tenant needs an 'id' and a 'share_pct'") }
            if t.name.isEmpty { t.name = t.id }
            total += t.sharePct
            return t
        }
        if total > 100.0001 { throw doc.error(node, "tenant shares add up to \(total)%, more than 100%") }
        return tenants
    }

    static func parseCapabilities(_ doc: YAMLDocument, _ node: Node) throws -> [Capability] {
        var seen = Set<String>()
        return try doc.sequence(node, what: "'capabilities'").map { entry in
            var cap = Capability(name: "")
            for (k, _, v) in try doc.mapping(entry, allowed: capabilityKeys, what: "a capability") {
                switch k {
                case "name": cap.name = try doc.string(v, what: "'name'")
                case "description": cap.description = try doc.string(v, what: "'description'")
                case "high_risk": cap.highRisk = try doc.bool(v, what: "'high_risk'")
                case "direct_access": cap.directAccess = try doc.bool(v, what: "'direct_access'")
                default:
                    if let field = CapabilityField(rawValue: k) { cap.fields[field] = try doc.string(v, what: "'\(k)'") }
                }
            }
            guard !cap.name.isEmpty else { throw doc.error(entry, "a capability needs a 'name'") }
            guard seen.insert(cap.name).inserted else { throw doc.error(entry, "capability '\(cap.name)' is listed twice") }
            return cap
        }
    }

    static func parseItems(_ doc: YAMLDocument, _ node: Node, base: [ItemDefinition]) throws -> [ItemDefinition] {
        var catalog = base
        var index = Dictionary(uniqueKeysWithValues: catalog.enumerated().map { ($1.id, $0) })
        for (id, keyNode, body) in try doc.mapping(node, allowed: [], what: "'items'") {
            var item: ItemDefinition
            let existing = index[id]
            if let existing { item = catalog[existing] } else {
                item = ItemDefinition(id: id, contour: .runtime, title: "", why: "", severity: .required, owner: "captain")
            }
            var sawContour = false
            for (k, _, v) in try doc.mapping(body, allowed: itemKeys, what: "item '\(id)'") {
                switch k {
                case "contour":
                    let name = try doc.string(v, what: "'contour'")
                    guard let c = Contour(rawValue: name) else {
                        throw doc.error(v, "unknown contour '\(name)'; \(Suggest.didYouMean(name, in: Contour.allCases.map(\.rawValue)))")
                    }
                    if existing != nil && c != item.contour { throw doc.error(v, "a catalog item cannot move to another contour") }
                    item.contour = c
                    sawContour = true
                case "title": item.title = try doc.string(v, what: "'title'")
                case "why": item.why = try doc.string(v, what: "'why'")
                case "severity":
                    let s = try doc.string(v, what: "'severity'")
                    guard let sev = Severity(rawValue: s) else {
                        throw doc.error(v, "unknown severity '\(s)'; expected blocker, required or advisory")
                    }
                    item.severity = sev
                case "owner": item.owner = try doc.string(v, what: "'owner'")
                case "probe": item.probe = try parseProbe(doc, v)
                default: break
                }
            }
            if existing == nil {
                guard sawContour, !item.title.isEmpty else {
                    let near = Suggest.nearest(id, in: catalog.map(\.id))
                    let hint = near.isEmpty ? "" : " (or did you mean the catalog item '\(near[0])'?)"
                    throw doc.error(keyNode, "new item '\(id)' needs a 'contour' and a 'title'\(hint)")
                }
                index[id] = catalog.count
                catalog.append(item)
            } else {
                catalog[existing!] = item
            }
        }
        return catalog
    }

    static func parseProbe(_ doc: YAMLDocument, _ node: Node) throws -> ProbeSpec {
        var probe = ProbeSpec(command: "")
        for (k, _, v) in try doc.mapping(node, allowed: probeKeys, what: "'probe'") {
            switch k {
            case "command": probe.command = try doc.string(v, what: "'command'")
            case "args": probe.arguments = try doc.stringList(v, what: "'args'").map(\.0)
            case "workdir": probe.workingDirectory = try doc.string(v, what: "'workdir'")
            case "timeout_seconds": probe.timeoutSeconds = try doc.double(v, what: "'timeout_seconds'")
            case "expect_exit": probe.expectedExit = Int32(try doc.int(v, what: "'expect_exit'"))
            default: probe.maxAgeMinutes = try doc.int(v, what: "'max_age_minutes'")
            }
        }
        guard !probe.command.isEmpty else { throw doc.error(node, "a probe needs a 'command'") }
        return probe
    }
}
