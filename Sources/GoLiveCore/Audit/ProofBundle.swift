import Foundation

/// `golive audit bundle`: what an auditor needs to check a rollout with no GoLive installed. The
/// journal's records byte for byte, the rosters the judge let count (as JSON and as OpenSSH's
/// allowed_signers with validity times), checkpoints, each signed record's payload and armored
/// signature, and a verifier in plain Python that leaves every signature to `ssh-keygen -Y
/// verify` (scripts/proof-bundle). Written to a folder of its own, whole or not at all.
public enum ProofBundle {
    public struct Written: Sendable {
        public var folder: URL
        public var records = 0
        public var adoptions = 0
        public var signed = 0
        public var checkpoints = 0
        /// Records GoLive's judge refuses (and no captain set aside): the verifier fails on them
        /// or on what rests on them.
        public var refused: [RefusedRecord] = []
    }

    struct Member: Encodable {
        var id: String
        var roles: [String]
        var touch: String?
        var keys: [String]
    }

    struct Adoption: Encodable {
        var seq: Int
        var at: String
        var by: String
        var rollout: String
        var identity: String
        var approvals_touch: String?
        var members: [Member]
    }

    struct Rosters: Encodable {
        var adoptions: [Adoption]
        var demo_keys: [String]
    }

    /// Writes the bundle of the journal at `journal` into `folder`, which must not exist yet.
    /// `checkpoints`: checkpoint files to carry (each must read as one); `head`: a checkpoint of
    /// the head to add (signed by the operator), or nil.
    public static func write(journal: URL, to folder: URL, checkpoints: [URL] = [],
                             head: (Journal.LineHead) throws -> Checkpoint? = { _ in nil }) throws -> Written {
        guard !FileManager.default.fileExists(atPath: folder.path) else {
            throw InputError("\(folder.path) exists; a bundle goes to a new folder (nothing there was changed)")
        }
        let given = try checkpoints.map { url -> Data in
            guard let data = SystemCall.readRegularFile(url.path, limit: 64 * 1024).map({ Data($0.bytes) }) else {
                throw InputError("\(url.path): cannot read the checkpoint")
            }
            do { _ = try JSONCoding.decoder().decode(Checkpoint.self, from: data) } catch { throw InputError("\(url.path): not a golive checkpoint (\(error))") }
            return data
        }
        // Built beside the destination, then renamed into place: a failure leaves no half bundle.
        let partial = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).partial-\(Identity.randomHex(bytes: 4))")
        try FileManager.default.createDirectory(at: partial.appendingPathComponent("signatures"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: partial.appendingPathComponent("checkpoints"), withIntermediateDirectories: false)
        do {
            var written = try fill(partial, journal: journal, given: given, head: head)
            try SystemCall.renameFile(partial.path, to: folder.path)
            written.folder = folder
            return written
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    static func fill(_ dir: URL, journal: URL, given: [Data], head: (Journal.LineHead) throws -> Checkpoint?) throws -> Written {
        var written = Written(folder: dir)
        // The records, byte for byte (whole lines only), and each signed one's payload and signature.
        let out = try SystemCall.openFile(dir.appendingPathComponent("records.jsonl").path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        defer { SystemCall.closeFile(out) }
        let sink = ByteSink(fd: out, path: "records.jsonl")
        let fd = try SystemCall.openFile(journal.path, O_RDONLY | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        // The journal as it stands now: a write landing meanwhile is not half in the bundle.
        let size = try SystemCall.sizeOf(fd, path: journal.path)
        try SystemCall.seek(fd, to: 0, path: journal.path)
        var reader = LineReader(fd: fd, path: journal.path, upTo: size)
        var last: Journal.LineHead?
        try reader.forEachLine { line, _ in
            guard let lineHead = Journal.head(of: line) else { return true }
            try sink.write(line)
            try sink.write(CollectionOfOne(UInt8(ascii: "\n")))
            written.records += 1
            last = lineHead
            if let (prefix, base64) = Journal.signature(of: line), let signature = try? SSHSignature(base64: base64) {
                let base = dir.appendingPathComponent("signatures").appendingPathComponent("\(lineHead.seq)")
                try Data(Journal.signedPayload(recordPrefix: prefix)).write(to: base.appendingPathExtension("payload"))
                try Data(signature.armored.utf8).write(to: base.appendingPathExtension("sig"))
                written.signed += 1
            }
            return true
        }
        try sink.flush()
        try SystemCall.syncFile(out, path: "records.jsonl")

        // The judge's own pass over the bundle's records gives the rosters that counted.
        var history = RosterHistory()
        let state = try Store.judgedRebuild(of: dir.appendingPathComponent("records.jsonl")) { e, _ in history.observe(e) }
        let adoptions = history.adoptions.map { a in
            Adoption(seq: a.seq, at: Timestamp.format(a.at), by: a.by, rollout: a.rollout, identity: a.identity.rawValue, approvals_touch: a.approvalsTouch?.rawValue,
                     members: a.team.map { Member(id: $0.id, roles: $0.roles, touch: $0.touch?.rawValue, keys: $0.keys.map(\.line)) })
        }
        written.refused = state.refused
        written.adoptions = adoptions.count
        let encoder = JSONCoding.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(Rosters(adoptions: adoptions, demo_keys: SSHPublicKey.publishedDemoBlobs.sorted())).write(to: dir.appendingPathComponent("rosters.json"))
        let signers = history.grants.map { AllowedSigners.line(principal: $0.principal, key: $0.key, validAfter: $0.validAfter, validBefore: $0.validBefore) }
        try Data((signers.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("allowed_signers"))

        for (i, data) in given.enumerated() {
            try data.write(to: dir.appendingPathComponent("checkpoints").appendingPathComponent("given-\(i + 1).json"))
        }
        written.checkpoints = given.count
        if let last, let cp = try head(last) {
            try encoder.encode(cp).write(to: dir.appendingPathComponent("checkpoints").appendingPathComponent("head.json"))
            written.checkpoints += 1
        }
        try Data((ProofBundleFiles.readme + "\n").utf8).write(to: dir.appendingPathComponent("README.md"))
        let verifier = dir.appendingPathComponent("verify.py")
        try Data((ProofBundleFiles.verifier + "\n").utf8).write(to: verifier)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: verifier.path)
        return written
    }
}
