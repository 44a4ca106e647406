import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// rollout.yaml parsed once per adoption, not once per command. Parsing a catalog of 2,000 items
/// with Yams was 40% of a write (issue 14); this keeps the parse in the operator's own cache
/// folder and reads it back with the fast reader.
///
/// Why an entry may be believed without parsing again: the adoption that put these files in force
/// names the SHA-256 of its adopter's parse (`parsed_sha256`, in a record the judge let stand, so
/// signed by a captain in a signed rollout), and the entry's body has that digest. Anyone who can
/// write the cache folder can still only make golive parse again: an edited entry, even with its
/// own digest recomputed, is not the parse the journal vouches for (issue 25, finding 11). The
/// entry's name (the binary's identity, the time zone data's version and rollout.yaml's digest)
/// only finds it; its folder and file are the user's own, opened without following links.
/// Errors are never cached.
public enum ParsedConfigCache {
    /// 3: team members may be automation. 4: believed only when an adoption names its digest.
    /// 5: each item's contour and each contour's definitions digest kept (sign-offs read them).
    static let format = 5
    private static let chosen = Locked<URL?>(nil)
    /// Entries kept: older ones (configurations edited since, earlier builds) are removed.
    static let kept = 16

    /// Where the command line keeps parsed configurations; nil (the library's default) keeps none.
    public static func use(folder url: URL?) { chosen.withLock { $0 = url } }
    static var folder: URL? { chosen.withLock { $0 } }

    /// `<cache>/parsed` under the operator's cache folder (see CacheFolder).
    public static func defaultFolder(variable: (String) -> String? = SystemCall.environmentVariable) -> URL {
        CacheFolder.base(variable: variable).appendingPathComponent("parsed")
    }

    struct Entry: Codable {
        var config: RolloutConfig
        /// The policy file's digest when parsed: nil when the rollout names none.
        var policySha256: String?
        /// The catalog's probe commands (scripts are part of the configuration's files), so that
        /// naming them decodes no definition.
        var probeCommands: [String] = []
        /// Each item's contour, in catalog order, as one space-separated string (JSONDecoder took
        /// an eighth of a write decoding 8,000 array elements), and each contour's definitions
        /// digest (ItemCatalog.definitionsDigest): a sign-off's digest decodes no definition.
        var contours: String = ""
        var definitionDigests: [String: String] = [:]
    }

    /// The identity of the running executable: a rebuilt golive parses again.
    static let binaryIdentity: String? = {
        guard let exe = FileIdentity.of("/proc/self/exe", followingLinks: true) else { return nil }
        return "\(exe.device):\(exe.inode):\(exe.size):\(exe.modified.map(String.init).joined(separator: ".")):\(GoLiveVersion.current)"
    }()

    /// `rollout`: the SHA-256 of rollout.yaml's bytes.
    static func key(rollout: String) -> String? {
        guard let identity = binaryIdentity else { return nil }
        let input = "golive parsed configuration \(format)\n\(identity)\n\(TimeZone.timeZoneDataVersion)\n\(rollout)\n"
        return Digest.sha256Hex(Data(input.utf8))
    }

    /// The digest an adoption of `config` names for its adopter's parse (its policy's bytes are
    /// those of its files).
    public static func parsedDigest(of config: RolloutConfig) -> String? {
        parsedDigest(config, policyBytes: config.policyFile.flatMap { path in config.files.first { $0.path == path }?.text.map { Data($0.utf8) } })
    }

    /// The digest an adoption names for its adopter's parse: the body this golive keeps for it.
    public static func parsedDigest(_ config: RolloutConfig, policyBytes: Data?) -> String? {
        guard let bytes = try? encode(config, policyBytes: policyBytes), let firstBreak = bytes.firstIndex(of: 0x0A) else { return nil }
        return Digest.sha256Hex(bytes[(firstBreak + 1)...])
    }

    /// The configuration parsed earlier from these exact bytes, believed only if its body is the
    /// parse `vouched` names (see above). `reparse` gives the catalog anew should a kept definition
    /// ever fail to decode (see ItemCatalog).
    static func load(from dir: URL, rollout: String, vouched: String, policyBytes: (String) -> Data?,
                     reparse: @escaping @Sendable () -> [ItemDefinition]? = { nil }) -> RolloutConfig? {
        let read: (entry: Entry, bodyDigest: String)?
        if let ahead = ReadAhead.taken(dir: dir, rollout: rollout) {
            // Read before anyone could say which parse is vouched for: believed on the same terms.
            read = ahead.result()
            ahead.reparseWith(reparse)
        } else {
            read = self.read(dir: dir, rollout: rollout, reparse: reparse)
        }
        guard let read, read.bodyDigest == vouched else { return nil }
        let entry = read.entry
        guard entry.config.policyFile.flatMap(policyBytes).map({ Digest.sha256Hex($0) }) == entry.policySha256 else { return nil }
        return entry.config
    }

    /// The entry kept for rollout.yaml's digest `rollout`, as written, with its body's digest: no
    /// more than that is known of it until an adoption names the digest (see `load`).
    static func read(dir: URL, rollout: String, reparse: @escaping @Sendable () -> [ItemDefinition]?) -> (entry: Entry, bodyDigest: String)? {
        guard let key = key(rollout: rollout), ownedByUs(dir.path, directory: true),
              let bytes = readOwnFile(dir.appendingPathComponent("\(key).json").path) else { return nil }
        return try? decode(bytes, reparse: reparse)
    }

    /// Starts reading the kept parse of the rollout.yaml whose digest is `rollout` on another core:
    /// a snapshot's proof reads it only after the adoption record that vouches for it, a megabyte
    /// at 8,000 items, is read and judged; each was a third of a write. Nothing read here is
    /// believed before `load` checks it as it checks an entry it reads itself.
    static func readAhead(rollout: String) {
        guard let dir = folder, RolloutConfigParser.inForceMemo(rollout: rollout) == nil else { return }
        let ahead = ReadAhead(dir: dir, rollout: rollout)
        // One not taken (its proof failed first) is joined, not left running.
        _ = ReadAhead.started.withLock { was in defer { was = ahead }; return was }?.result()
    }

    /// Keeps a configuration just parsed from these bytes. A failure to keep it only costs time.
    static func save(_ config: RolloutConfig, in dir: URL, rollout: String, policyBytes: Data?) {
        guard let key = key(rollout: rollout) else { return }
        if FileIdentity.of(dir.path) == nil {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard ownedByUs(dir.path, directory: true), let bytes = try? encode(config, policyBytes: policyBytes) else { return }
        let final = dir.appendingPathComponent("\(key).json").path
        let temp = dir.appendingPathComponent(".\(key).\(getpid()).tmp").path
        guard let fd = try? SystemCall.openFile(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600) else { return }
        let written = (try? SystemCall.writeAll(fd, bytes, path: temp)) != nil
        SystemCall.closeFile(fd)
        guard written, (try? SystemCall.renameFile(temp, to: final)) != nil else { SystemCall.removeFile(temp); return }
        prune(dir)
    }

    /// A header line with the body's digest, the configuration (without its catalog) through
    /// JSONEncoder, and the catalog as one JSON object from id to definition, in catalog order:
    /// read back, only the ids and where each definition lies are found (see ItemCatalog).
    static func encode(_ config: RolloutConfig, policyBytes: Data?) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body = try encoder.encode(Entry(config: config, policySha256: policyBytes.map { Digest.sha256Hex($0) },
                                            probeCommands: config.definitions.probeCommands, contours: config.definitions.contours.map(\.rawValue).joined(separator: " "),
                                            definitionDigests: Dictionary(uniqueKeysWithValues: ItemCatalog.definitionsDigests(of: config.catalog).map { ($0.key.rawValue, $0.value) })))
        body.append(0x0A)
        body.append(UInt8(ascii: "{"))
        for (i, item) in config.catalog.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(try encoder.encode(item.id))
            body.append(UInt8(ascii: ":"))
            body.append(try encoder.encode(item))
        }
        body.append(UInt8(ascii: "}"))
        let header = "{\"format\":\(format),\"body_sha256\":\"\(Digest.sha256Hex(body))\"}\n"
        return Array(header.utf8) + Array(body)
    }

    /// An entry checked against its own header only, with its body's digest for the caller to
    /// compare with the one an adoption vouches for (`parsed_sha256`).
    static func decode(_ bytes: [UInt8], reparse: @escaping @Sendable () -> [ItemDefinition]? = { nil }) throws -> (entry: Entry, bodyDigest: String) {
        guard let firstBreak = bytes.firstIndex(of: 0x0A) else { throw JSONReader.Malformed(description: "no header") }
        let header = try JSONDecoder().decode(Header.self, from: Data(bytes[..<firstBreak]))
        let body = bytes[(firstBreak + 1)...]
        let digest = Digest.sha256Hex(body)
        guard header.format == format, header.body_sha256 == digest,
              let secondBreak = body.firstIndex(of: 0x0A) else { throw JSONReader.Malformed(description: "not this format, or its body changed") }
        var entry = try JSONDecoder().decode(Entry.self, from: Data(body[..<secondBreak]))
        let start = secondBreak + 1
        let members = try bytes.withUnsafeBufferPointer { all in
            var r = JSONReader(bytes: UnsafeBufferPointer(rebasing: all[start...]), subject: "a parsed configuration")
            let members = try r.locatedMembers(reservingFor: 128)
            r.skipSpace()
            guard r.i == r.bytes.count else { throw r.fail("text after the catalog") }
            return members
        }
        let digests = Dictionary(uniqueKeysWithValues: Contour.allCases.compactMap { c in entry.definitionDigests[c.rawValue].map { (c, $0) } })
        let contours = Contour.list(spaceSeparated: entry.contours)
        guard contours.count == members.count, digests.count == Contour.allCases.count else {
            throw JSONReader.Malformed(description: "the kept parse does not name every item's contour and every contour's digest")
        }
        entry.config.definitions = ItemCatalog(keeping: bytes, ids: members.map(\.key), ranges: members.map { start + $0.value.lowerBound..<start + $0.value.upperBound },
                                               probeCommands: entry.probeCommands, contours: contours, digests: digests, reparse: reparse)
        return (entry, digest)
    }

    struct Header: Decodable {
        var format: Int
        var body_sha256: String
    }

    /// A folder or regular file (not a link) owned by this user and writable by no one else.
    static func ownedByUs(_ path: String, directory: Bool) -> Bool {
        FileIdentity.of(path).map { trusted($0, directory: directory) } ?? false
    }

    static func trusted(_ found: FileIdentity, directory: Bool) -> Bool {
        (directory ? found.isDirectory : found.isRegularFile) && found.isOwnedByUsAlone
    }

    static func readOwnFile(_ path: String) -> [UInt8]? {
        guard let fd = try? SystemCall.openIfPresent(path, O_RDONLY | O_NOFOLLOW) else { return nil }
        defer { SystemCall.closeFile(fd) }
        guard let found = try? FileIdentity.of(fd: fd, path: path), trusted(found, directory: false), let size = try? SystemCall.sizeOf(fd, path: path) else { return nil }
        return try? SystemCall.readExactly(fd, count: size, at: 0, path: path)
    }

    static func prune(_ dir: URL) {
        let keys: [URLResourceKey] = [.contentModificationDateKey]
        guard let names = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: keys), names.count > kept else { return }
        let dated = names.map { ($0, (try? $0.resourceValues(forKeys: Set(keys)).contentModificationDate) ?? .distantPast) }
        for (url, _) in dated.sorted(by: { $0.1 > $1.1 }).dropFirst(kept) { SystemCall.removeFile(url.path) }
    }
}

extension JSONReader {
    /// One item definition as JSONEncoder wrote it (absent optionals omitted).
    mutating func itemDefinition() throws -> ItemDefinition {
        var id: String?, title: String?, why: String?, owner: String?
        var contour: Contour?, severity: Severity?, field: CapabilityField?, probe: ProbeSpec?
        try fields { r, key in
            switch key {
            case "id": id = try r.string()
            case "contour": contour = try r.raw(Contour.self)
            case "title": title = try r.string()
            case "why": why = try r.string()
            case "severity": severity = try r.raw(Severity.self)
            case "owner": owner = try r.string()
            case "derivedFromCapabilityField": field = try r.optional { try $0.raw(CapabilityField.self) }
            case "probe": probe = try r.optional { try $0.nested(ProbeSpec.self) }
            default: try r.skipValue()
            }
        }
        guard let id, let contour, let title, let why, let severity, let owner else {
            throw fail("an item definition needs id, contour, title, why, severity and owner")
        }
        return ItemDefinition(id: id, contour: contour, title: title, why: why, severity: severity, owner: owner,
                              derivedFromCapabilityField: field, probe: probe)
    }
}
