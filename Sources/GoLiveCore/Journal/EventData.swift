import Foundation

/// The payload of an event. One shape for all kinds keeps the journal greppable and the fold simple;
/// which fields a kind uses is fixed by `Cockpit`, the only writer.
public struct EventData: Codable, Sendable, Equatable {
    public var item: String?
    public var status: ItemStatus?
    public var note: String?
    public var evidence: Evidence?
    public var reason: String?
    public var expires: Date?
    public var contour: Contour?
    public var role: String?
    public var itemsHash: String?
    public var command: String?
    public var name: String?
    public var version: String?
    public var session: SessionInfo?
    public var verdict: ShownVerdict?
    public var transition: CanaryTransition?
    public var hook: HookResult?
    public var from: String?
    public var to: String?
    public var stateSha256: String?
    public var policySha256: String?
    public var applied: Bool?
    public var auto: Bool?
    /// `config.adopted`: the configuration's files and their digest.
    public var files: [ConfigFile]?
    public var configSha256: String?
    /// On signed decisions: the rollout's name, so that the signature names it.
    public var rollout: String?
    /// On the last record of each write: SHA-256 of the state it leaves (see Store's snapshot proof).
    public var stateDigest: String?
    /// On an approval: given for a break-glass advance.
    public var breakGlass: Bool?
    /// On `alert.raised` and `alert.delivered`.
    public var alert: RaisedAlert?
    /// On `journal.set_aside`: which refused records, and where they were kept.
    public var setAside: SetAside?
    /// On `config.adopted`: the adoption it replaces.
    public var previous: AdoptionRef?
    /// On `config.adopted`: the seqs of the proposal and approvals it counts, so that the adoptions
    /// behind a snapshot, walked back without folding the journal, are judged with their consents.
    public var approvals: [Int]?
    /// On every record written by an automation member (a CI job, a timer): not a person.
    public var automation: Bool?
    /// On `config.adopted`: the SHA-256 of the adopter's parse of the files as golive keeps it
    /// (ParsedConfigCache). A kept parse is believed only when an adoption that stands names it.
    public var parsedSha256: String?

    public init(item: String? = nil, status: ItemStatus? = nil, note: String? = nil, evidence: Evidence? = nil,
                reason: String? = nil, expires: Date? = nil, contour: Contour? = nil, role: String? = nil,
                itemsHash: String? = nil, command: String? = nil, name: String? = nil, version: String? = nil,
                session: SessionInfo? = nil, verdict: ShownVerdict? = nil, transition: CanaryTransition? = nil,
                hook: HookResult? = nil, from: String? = nil, to: String? = nil, stateSha256: String? = nil,
                policySha256: String? = nil, applied: Bool? = nil, auto: Bool? = nil,
                files: [ConfigFile]? = nil, configSha256: String? = nil) {
        self.item = item
        self.status = status
        self.note = note
        self.evidence = evidence
        self.reason = reason
        self.expires = expires
        self.contour = contour
        self.role = role
        self.itemsHash = itemsHash
        self.command = command
        self.name = name
        self.version = version
        self.session = session
        self.verdict = verdict
        self.transition = transition
        self.hook = hook
        self.from = from
        self.to = to
        self.stateSha256 = stateSha256
        self.policySha256 = policySha256
        self.applied = applied
        self.auto = auto
        self.files = files
        self.configSha256 = configSha256
    }

    enum CodingKeys: String, CodingKey {
        case item, status, note, evidence, reason, expires, contour, role, command, name, version, session, verdict
        case transition, hook, from, to, applied, auto, files, rollout
        case configSha256 = "config_sha256"
        case itemsHash = "items_hash"
        case stateSha256 = "state_sha256"
        case policySha256 = "policy_sha256"
        case stateDigest = "state_digest"
        case breakGlass = "break_glass"
        case alert
        case setAside = "set_aside"
        case previous
        case approvals
        case automation
        case parsedSha256 = "parsed_sha256"
    }
}
