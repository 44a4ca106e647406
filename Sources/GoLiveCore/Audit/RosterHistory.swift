import Foundation

/// Who could sign as whom, and when, as the journal proves it: the roster of every adoption the
/// judge let count, in order. An auditor's trust anchor comes from here (`team allowed-signers`),
/// never from a rollout.yaml on disk that nobody adopted.
public struct RosterHistory: Sendable {
    public struct Adoption: Sendable {
        public var seq: Int
        public var at: Date
        public var by: String
        public var team: [Operator]
        /// What else of the adopted configuration an auditor judges signatures by.
        public var rollout: String
        public var identity: IdentityMode
        public var approvalsTouch: TouchRequirement?
    }

    /// One key's time as a signer: from the adoption that listed it to the one that dropped it.
    public struct Grant: Sendable {
        public var principal: String
        public var key: SSHPublicKey
        public var validAfter: Date
        public var validBefore: Date?
        public var fromSeq: Int
        public var untilSeq: Int?
    }

    public private(set) var adoptions: [Adoption] = []

    public init() {}

    /// Hears each record the judge folded (`Store.judgedRebuild`'s observer). The record stands,
    /// so the parse it vouches for is read as the judge reads it, not parsed from its texts again.
    public mutating func observe(_ e: Event) {
        guard e.kind == .configAdopted, let files = e.data.files,
              let config = try? RolloutConfigParser.inForce(files: files, vouched: e.data.parsedSha256) else { return }
        adoptions.append(Adoption(seq: e.seq, at: e.ts, by: e.actor, team: config.team, rollout: config.name, identity: config.identity,
                                  approvalsTouch: config.policy.approvals.touch))
    }

    /// The roster in force at `seq`: the last adoption at or before it.
    public func roster(at seq: Int) -> Adoption? { adoptions.last { $0.seq <= seq } }

    public var grants: [Grant] {
        var open: [String: Grant] = [:], order: [String] = [], out: [Grant] = []
        for adoption in adoptions {
            var now = Set<String>()
            for member in adoption.team {
                for key in member.keys {
                    let id = member.id + " " + key.line
                    now.insert(id)
                    if open[id] == nil {
                        open[id] = Grant(principal: member.id, key: key, validAfter: adoption.at, fromSeq: adoption.seq)
                        order.append(id)
                    }
                }
            }
            for id in order where !now.contains(id) {
                guard var grant = open.removeValue(forKey: id) else { continue }
                grant.validBefore = adoption.at
                grant.untilSeq = adoption.seq
                out.append(grant)
            }
            order.removeAll { open[$0] == nil }
        }
        return out + order.compactMap { open[$0] }
    }
}
