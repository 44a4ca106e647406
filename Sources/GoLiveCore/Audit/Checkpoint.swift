import Foundation

/// A small, signed statement of a journal's head (rollout, seq, head hash, time, signer), kept
/// outside the store in the spirit of transparency-log checkpoints. A journal cut short or
/// rewritten consistently still verifies on its own; it no longer extends a checkpoint taken
/// before the change.
public struct Checkpoint: Codable, Sendable, Equatable {
    public var rollout: String
    public var seq: Int
    public var head: String
    public var time: Date
    public var signer: String?
    /// SSHSIG (base64) over `payload` by a key of `signer`.
    public var sig: String?

    public init(rollout: String, seq: Int, head: String, time: Date, signer: String? = nil, sig: String? = nil) {
        self.rollout = rollout
        self.seq = seq
        self.head = head
        self.time = time
        self.signer = signer
        self.sig = sig
    }

    /// What a checkpoint's signer signs.
    public var payload: [UInt8] {
        Array("golive checkpoint v1\nrollout \(rollout)\nseq \(seq)\nhead \(head)\ntime \(Timestamp.format(time))\n".utf8)
    }

    /// Why the journal at `url` does not extend this checkpoint, or nil when it does.
    public func problem(journal url: URL) throws -> String? {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: url.path)
        var found: Journal.LineHead?
        var last = 0
        try reader.forEachLine { line, _ in
            guard let head = Journal.head(of: line) else { return true }
            last = head.seq
            if head.seq == seq { found = head }
            return head.seq < seq
        }
        guard let found else {
            return "the journal ends at seq \(last), before this checkpoint's seq \(seq) (head \(head.prefix(12))… at \(Timestamp.format(time))): records were dropped"
        }
        guard found.hash == head else {
            return "the journal diverges from this checkpoint at or before seq \(seq): its record there hashes to \(found.hash.prefix(12))…, the checkpoint says \(head.prefix(12))… (history was rewritten)"
        }
        return nil
    }

    /// Whether the signature is by `signer`'s key in `team`, the roster in force at the
    /// checkpoint's seq; nil when unsigned.
    public func signatureProblem(team: [Operator]) -> String? {
        guard let sig, let signer else { return nil }
        guard let signature = try? SSHSignature(base64: sig), signature.verifies(payload, namespace: Journal.signatureNamespace) else {
            return "its signature does not verify"
        }
        guard team.first(where: { $0.id == signer })?.keys.contains(signature.publicKey) == true else {
            return "it is signed by \(signature.publicKey.fingerprint), which is not \(signer)'s key in the roster in force at seq \(seq)"
        }
        return nil
    }
}
