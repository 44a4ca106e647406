import Foundation

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
    /// The acting operator's SSHSIG over the record (base64), on decisions in a signed rollout.
    public var sig: String?
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case v, seq, prev, ts, session, actor, kind, data, hash, sig
        case osUser = "os_user"
    }

    /// An empty record: what the decoder fills in, and what stands for a line not decoded. Made
    /// afresh each time: a copy of a stored one retained and released each of its fields, a
    /// twentieth of decoding a record.
    static var unread: Event { Event(v: 0, seq: 0, prev: "", ts: .distantPast, session: "", actor: "", osUser: "", kind: .sessionStarted,
                              data: EventData(), sig: nil, hash: "") }
}
