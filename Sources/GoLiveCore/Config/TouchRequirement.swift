/// What an approval or adoption must show of the person at a hardware key (FIDO2 flags, signed by
/// the key): `present`, the key was touched; `verified`, a PIN or fingerprint was checked as well.
/// Set per roster entry (`touch:` in a team member: their approvals, proposals and adoptions) or
/// for every approver (`approvals.touch` in the policy: canary and configuration approvals and
/// sign-offs); the stricter applies. A signature by a key without such flags cannot show either.
public enum TouchRequirement: String, Codable, Sendable, Comparable, CaseIterable {
    case present, verified

    public static func < (a: TouchRequirement, b: TouchRequirement) -> Bool { a == .present && b == .verified }
}
