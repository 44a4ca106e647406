import Foundation

public enum EventKind: String, Codable, Sendable, CaseIterable {
    case rolloutInitialized = "rollout.initialized"
    case itemSet = "item.set"
    case itemEvidence = "item.evidence"
    case itemWaived = "item.waived"
    case contourSignedOff = "contour.signed_off"
    case actionRefused = "action.refused"
    case journalRepaired = "journal.repaired"
    case sessionStarted = "session.started"
    case sessionEnded = "session.ended"
    /// What the operator was told, not only what changed.
    case gateShown = "gate.shown"
    case canaryApproved = "canary.approved"
    /// A traffic change was decided and its hook is about to run: the change is in flight.
    case canaryTransitionStarted = "canary.transition_started"
    case canaryTransitionDone = "canary.transition_done"
    /// The hook said no (non-zero exit): the canary stays where it was.
    case canaryTransitionFailed = "canary.transition_failed"
    /// The hook timed out or crashed: nobody knows whether traffic moved.
    case canaryOutcomeUnknown = "canary.outcome_unknown"
    case canaryReconciled = "canary.reconciled"
    case canaryHeld = "canary.held"
    case canaryResumed = "canary.resumed"

    /// Events that change readiness; sessions, shown verdicts and refusals only record.
    public var changesReadiness: Bool {
        switch self {
        case .rolloutInitialized, .itemSet, .itemEvidence, .itemWaived, .contourSignedOff: return true
        default: return false
        }
    }
}

/// One run of the cockpit or one CLI command by one operator.
public struct SessionInfo: Codable, Sendable, Equatable {
    public var id: String
    /// W3C trace-context format (32 lower-case hex digits), so the session can be joined to traces.
    public var traceID: String
    public var operatorID: String
    public var osUser: String
    public var host: String
    public var pid: Int32
    public var version: String
    public var terminal: String?
    public var command: String

    public init(id: String, traceID: String = Identity.randomHex(bytes: 16), operatorID: String, osUser: String,
                host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid(), version: String, terminal: String? = nil, command: String) {
        self.id = id
        self.traceID = traceID
        self.operatorID = operatorID
        self.osUser = osUser
        self.host = host
        self.pid = pid
        self.version = version
        self.terminal = terminal
        self.command = command
    }

    enum CodingKeys: String, CodingKey {
        case id, host, pid, version, terminal, command
        case traceID = "trace_id"
        case operatorID = "operator"
        case osUser = "os_user"
    }
}

/// The gist of a verdict as shown: enough for an auditor to see what the operator was told.
public struct ShownVerdict: Codable, Sendable, Equatable {
    public var ready: Bool
    public var unmet: [String]
    public var blocks: [String]
    public var signoffsMissing: Int
    public var policySha256: String
    public var stateSha256: String
    public var surface: String

    public init(_ v: GateVerdict, surface: String) {
        ready = v.ready
        unmet = v.unmet.map(\.name)
        blocks = v.blocks.map(\.name)
        signoffsMissing = v.signoffsMissing.count
        policySha256 = v.policySha256
        stateSha256 = v.stateSha256
        self.surface = surface
    }

    enum CodingKeys: String, CodingKey {
        case ready, unmet, blocks, surface
        case signoffsMissing = "signoffs_missing"
        case policySha256 = "policy_sha256"
        case stateSha256 = "state_sha256"
    }
}

public struct Evidence: Codable, Sendable, Equatable {
    public var kind: String   // note, link, probe
    public var text: String
    public var url: String?
    public var sha256: String?
    public var at: Date?
    public var by: String?

    public init(kind: String, text: String, url: String? = nil, sha256: String? = nil, at: Date? = nil, by: String? = nil) {
        self.kind = kind
        self.text = text
        self.url = url
        self.sha256 = sha256
        self.at = at
        self.by = by
    }
}

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

    public init(item: String? = nil, status: ItemStatus? = nil, note: String? = nil, evidence: Evidence? = nil,
                reason: String? = nil, expires: Date? = nil, contour: Contour? = nil, role: String? = nil,
                itemsHash: String? = nil, command: String? = nil, name: String? = nil, version: String? = nil,
                session: SessionInfo? = nil, verdict: ShownVerdict? = nil, transition: CanaryTransition? = nil,
                hook: HookResult? = nil, from: String? = nil, to: String? = nil, stateSha256: String? = nil,
                policySha256: String? = nil, applied: Bool? = nil, auto: Bool? = nil) {
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
    }

    enum CodingKeys: String, CodingKey {
        case item, status, note, evidence, reason, expires, contour, role, command, name, version, session, verdict
        case transition, hook, from, to, applied, auto
        case itemsHash = "items_hash"
        case stateSha256 = "state_sha256"
        case policySha256 = "policy_sha256"
    }
}

/// An event before it is written: the journal gives it its place (seq, prev, hash) and time.
public struct EventDraft: Sendable {
    public var kind: EventKind
    public var data: EventData
    public init(_ kind: EventKind, _ data: EventData) {
        self.kind = kind
        self.data = data
    }
}

/// One journal line, decoded.
public struct Event: Codable, Sendable {
    public var v: Int
    public var seq: Int
    public var prev: String
    public var ts: Date
    public var session: String
    public var actor: String
    public var osUser: String
    public var kind: EventKind
    public var data: EventData
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case v, seq, prev, ts, session, actor, kind, data, hash
        case osUser = "os_user"
    }
}

enum JSONCoding {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.format(date))
        }
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = Timestamp.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time: \(s)")
            }
            return date
        }
        return d
    }
}
