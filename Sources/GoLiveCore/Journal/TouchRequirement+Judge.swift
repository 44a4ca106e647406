/// Which records a touch requirement covers, and why a record's signature does not meet it:
/// asked by the judge (`RecordJudge.touchRefusal`), so the writer and every reader agree.
extension TouchRequirement {
    /// The approvals: what the policy's `approvals.touch` covers. Arrays, not Sets: the judge asks
    /// at every record, and a Set of them was the first use of its generic type in a write, which
    /// the Swift runtime met with a search of every conformance in the binary.
    public static let approvals: [EventKind] = [.canaryApproved, .configApproved, .contourSignedOff]
    /// A member's `touch` covers their configuration proposals and adoptions as well.
    public static let memberKinds: [EventKind] = approvals + [.configProposed, .configAdopted]

    /// What `member`'s record of `kind` must show under `policy`, or nil when nothing.
    public static func required(of member: Operator, for kind: EventKind, policy: Policy) -> TouchRequirement? {
        [memberKinds.contains(kind) ? member.touch : nil, approvals.contains(kind) ? policy.approvals.touch : nil].compactMap { $0 }.max()
    }

    /// Why a record signed with `signature` does not show what `self` requires, or nil.
    public func refusal(_ signature: SSHSignature?, kind: EventKind, actor: String) -> String? {
        let need = self == .present ? "a touch of a hardware key" : "a touch of a hardware key with the person verified (PIN or fingerprint)"
        guard let signature else { return "\(kind.rawValue) by \(actor) needs \(need) (touch: \(rawValue)) and is not signed" }
        guard let presence = signature.presence else {
            return "\(kind.rawValue) by \(actor) is signed with a \(signature.publicKey.type.rawValue) key, which cannot show a touch; it needs \(need) (touch: \(rawValue): an sk-ssh-ed25519 or sk-ecdsa-sha2-nistp256 key)"
        }
        guard presence.userPresent else { return "\(kind.rawValue) by \(actor): the key was not touched (its signature's user-present flag is clear); it needs \(need)" }
        if self == .verified, !presence.userVerified {
            return "\(kind.rawValue) by \(actor): the key was touched but the person was not verified (no PIN or fingerprint); touch: verified requires it"
        }
        return nil
    }
}
