import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum StoreSetup {
    /// Creates a store at `target`. From a directory: its files are copied (a journal is verified
    /// first, so a damaged one is never adopted). Fresh: the default catalog and section 9 policy.
    /// `captainKey`: the creating operator's SSH key; a fresh rollout with one is `identity: signed`,
    /// without one `identity: names` (and says so).
    /// `withDemoKeys`: copy the source's `demo-keys/` (the sample's published private keys); only
    /// `golive demo` and `init --demo-keys` ask, so no store holds keys anyone can sign with by surprise.
    /// `signer`: the creating operator's key for a configuration (nil when none is at hand); in a
    /// signed rollout the first adoption is signed (and the write sealed) with it, so that an
    /// auditor's allowed-signers file anchors the journal from its first configuration.
    public static func create(at target: URL, from source: URL?, name: String, actor: Actor, now: Date = Date(),
                              captainKey: SSHPublicKey? = nil, withDemoKeys: Bool = false,
                              signer: ((RolloutConfig, URL) -> Store.Seal?)? = nil) throws -> Store {
        let fm = FileManager.default
        let store = Store(directory: target)
        if store.exists { throw InputError("\(store.directory.path) already holds a store (rollout.yaml exists); nothing was changed") }
        // Someone's journal without its rollout.yaml is not ours to adopt: it is never verified,
        // nor recorded, by a plain init.
        if FileIdentity.of(store.journalURL.path) != nil {
            throw InputError("\(store.journalURL.path) exists already; golive init never adopts a journal it did not make. Nothing was changed. To start from it, put it beside its rollout.yaml and run golive init --from that folder (which verifies it first)")
        }
        let existed = fm.fileExists(atPath: target.path)
        do {
            return try populate(store, from: source, name: name, actor: actor, now: now, captainKey: captainKey, withDemoKeys: withDemoKeys, signer: signer)
        } catch {
            // Leave nothing half-made behind.
            if !existed { try? fm.removeItem(at: target) }
            throw error
        }
    }

    static func populate(_ store: Store, from source: URL?, name: String, actor: Actor, now: Date, captainKey: SSHPublicKey?, withDemoKeys: Bool,
                         signer: ((RolloutConfig, URL) -> Store.Seal?)?) throws -> Store {
        let fm = FileManager.default
        let target = store.directory
        if let source {
            guard fm.fileExists(atPath: source.appendingPathComponent("rollout.yaml").path) else {
                throw InputError("\(source.path) has no rollout.yaml to start from")
            }
            try refuseLinksLeaving(source)
            let journal = source.appendingPathComponent("journal.jsonl")
            if fm.fileExists(atPath: journal.path) {
                let report = try JournalVerifier.verify(fileAt: journal)
                if let p = report.problem { throw StoreError.corrupt("\(journal.path):\(p.line): \(p.message); not copied") }
            }
            // Validate before copying anything, so a bad rollout.yaml leaves no half-made store.
            _ = try RolloutConfigParser.load(directory: source)
            try fm.createDirectory(at: target, withIntermediateDirectories: true)
            for entry in try fm.contentsOfDirectory(atPath: source.path) where !["state.json", "lock", "disk-reserve"].contains(entry) && (withDemoKeys || entry != "demo-keys") {
                try copyBytes(from: source.appendingPathComponent(entry), to: target.appendingPathComponent(entry),
                              root: source.resolvingSymlinksInPath().path, sourceFolder: source, depth: 0)
            }
        } else {
            try fm.createDirectory(at: target, withIntermediateDirectories: true)
            try Data(Policy.sectionNineYAML.utf8).write(to: target.appendingPathComponent("policy.yaml"))
            try Data(freshRollout(name: name, captain: actor.operatorID, key: captainKey).utf8).write(to: store.rolloutURL)
        }
        let config = try store.loadConfig()
        if try store.tail().last == nil {
            let session = SessionInfo.current(for: actor, command: "init")
            var adoption = EventData(reason: "initial configuration", files: config.files, configSha256: config.sha256)
            adoption.parsedSha256 = ParsedConfigCache.parsedDigest(of: config)
            // The configuration the store starts under is adopted by whoever created it, signed
            // with their key in it when the rollout is signed and the key is at hand.
            var drafts = [EventDraft(.configAdopted, adoption)]
            var actor = actor
            var seal: Store.Seal?
            if config.identity == .signed, let signer, let found = signer(config, store.directory), config.member(actor.operatorID)?.keys.contains(found.key) == true {
                drafts[0].data.rollout = config.name
                drafts[0].sign = found.sign
                actor.key = found.key.fingerprint
                seal = found
            }
            try store.append(actor: actor, now: now, seal: seal) { _ in
                [EventDraft(.sessionStarted, EventData(session: session)),
                 EventDraft(.rolloutInitialized, EventData(note: source.map { "from \($0.lastPathComponent)" } ?? "fresh store",
                                                          name: config.name, version: config.version))]
                    + drafts + [EventDraft(.sessionEnded, EventData(reason: "completed"))]
            }
        }
        store.ensureReserve()
        return store
    }

    /// A link in the source that leads out of it is refused, naming it, before anything is read
    /// or copied: a link planted in a shared template (to `~/.ssh/id_ed25519`) would otherwise
    /// copy the file it reaches into the new store, where every write's readers may see it.
    static func refuseLinksLeaving(_ source: URL) throws {
        let root = source.resolvingSymlinksInPath().path
        func walk(_ url: URL, depth: Int) throws {
            guard depth < 16 else { throw InputError("\(url.path): folders nest more than 16 deep; nothing was copied") }
            guard let found = FileIdentity.of(url.path) else { return }
            if found.isLink {
                _ = try within(root, link: url, source: source)
                return
            }
            guard found.isDirectory else { return }
            for entry in try FileManager.default.contentsOfDirectory(atPath: url.path) {
                try walk(url.appendingPathComponent(entry), depth: depth + 1)
            }
        }
        for entry in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try walk(source.appendingPathComponent(entry), depth: 0)
        }
    }

    /// Where `link` leads, if that is inside `root` (the source folder, links resolved).
    static func within(_ root: String, link: URL, source: URL) throws -> URL {
        let target = link.resolvingSymlinksInPath()
        guard target.path == root || target.path.hasPrefix(root + "/") else {
            throw InputError("\(link.path) is a link to \(target.path), outside \(source.path); nothing was copied (init --from copies only what is inside the folder: copy the file itself there)")
        }
        return target
    }

    /// Copies what a link points to, never the link: a copied link would make the new store
    /// write into the source's files. A link is followed only to a place inside the source
    /// (checked again here, as the folder may change after `refuseLinksLeaving`), and files are
    /// read only as regular files, without following links. Modes are kept, so hook and probe
    /// scripts stay executable.
    static func copyBytes(from source: URL, to target: URL, root: String, sourceFolder: URL, depth: Int) throws {
        guard depth < 16 else { throw InputError("\(source.path): folders nest more than 16 deep (a link loop?); nothing was copied") }
        guard let st = SystemCall.linkStatus(source.path) else { throw InputError("\(source.path) is a link to nothing; nothing was copied") }
        switch st.st_mode & S_IFMT {
        case S_IFLNK:
            let inside = try within(root, link: source, source: sourceFolder)
            try copyBytes(from: inside, to: target, root: root, sourceFolder: sourceFolder, depth: depth + 1)
        case S_IFDIR:
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
            for entry in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try copyBytes(from: source.appendingPathComponent(entry), to: target.appendingPathComponent(entry), root: root, sourceFolder: sourceFolder, depth: depth + 1)
            }
        case S_IFREG:
            guard let read = SystemCall.readRegularFile(source.path, limit: Int(Int32.max) * 4) else {
                throw InputError("\(source.path) cannot be read as a regular file; nothing was copied")
            }
            try DurableFile.write(Data(read.bytes), to: target, mode: read.info.st_mode & 0o777)
        default:
            throw InputError("\(source.path) is neither a file nor a folder (a device, a pipe or a socket); nothing was copied")
        }
    }

    static func freshRollout(name: String, captain: String, key: SSHPublicKey? = nil) -> String {
        let identity = key == nil
            ? "# No SSH key was found for \(captain): decisions are typed names (UNSIGNED). Add each operator's\n# public key under keys: and set identity: signed, then `golive config adopt`.\nidentity: names"
            : "# Decisions are signed with each operator's SSH key (ed25519, ecdsa, a FIDO2 sk- key or rsa), listed under keys:.\nidentity: signed"
        let keys = key.map { "\n    keys: [\"\($0.line)\($0.comment.isEmpty ? "" : " \($0.comment)")\"]" } ?? ""
        return """
        # GoLive rollout. Edit freely: GoLive writes it only when asked (`golive team add`/`remove`); an edit counts once
        # a captain adopts it (`golive config diff`, `golive config adopt --reason …`).
        name: \(name)
        version: 0.1.0
        policy: policy.yaml
        \(identity)
        team:
          - id: \(captain)
            name: \(captain)
            roles: [captain]\(keys)
        tenants: []
        capabilities: []

        """
    }
}
