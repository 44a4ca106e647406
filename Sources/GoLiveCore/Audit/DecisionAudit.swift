import Foundation

/// Checks every decision's signature in a journal (or an export of one) against the roster in
/// force at that record: the team of the last `config.adopted` before it. Streams; decodes only
/// decisions and adoptions, found by their kind without parsing the rest.
public struct DecisionAudit: Sendable, Equatable {
    public var identity: IdentityMode?
    public var signedDecisions = 0
    /// Fingerprints of the keys that signed, with the operator each belongs to.
    public var keys: [String: String] = [:]
    /// Hold and rollback records written without a key (allowed: the levers never wait for one).
    public var unsignedLevers = 0
    /// Signatures by the published demo keys, which anyone can make.
    public var demoSigned = 0
    /// Decisions signed by a hardware key whose signature shows a touch.
    public var touched = 0
    public var problem: VerifyReport.Problem?

    public init() {}

    static let kindMarker = Array(#""kind":""#.utf8)
    static let itemMarker = Array(#""item":""#.utf8)

    /// `lines` yields each record line and its line number; non-record lines (an export's header
    /// and trailer) are skipped by the caller.
    public static func check(_ forEachLine: ((UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws -> Void) throws -> DecisionAudit {
        var audit = DecisionAudit()
        var roster: RolloutConfig?
        try forEachLine { line, number in
            guard let kind = AuditExporter.value(after: kindMarker, in: line).flatMap(EventKind.init(rawValue:)) else { return true }
            let signing: SSHPublicKey?
            do { signing = try Journal.signingKey(of: line) } catch {
                audit.problem = .init(line: number, message: "line \(number): \(error)")
                return false
            }
            // Only what could be judged is decoded: adoptions, signed records, and in a signed
            // rollout the decisions (item results, most of a journal, only on blocker items).
            var mayDecide = kind == .configAdopted || signing != nil
            if !mayDecide, roster?.identity == .signed {
                mayDecide = kind == .itemSet
                    ? AuditExporter.value(after: itemMarker, in: line).flatMap { roster?.item($0) }?.severity == .blocker
                    : SignaturePolicy.decisionKinds.contains(kind)
            }
            guard mayDecide, let event = try? EventDecoder.decode(line) else { return true }
            // The roster that judges this record is the one in force before it.
            if let config = roster, let problem = judge(event, signing, config, number, &audit) {
                audit.problem = problem
                return false
            }
            if kind == .configAdopted, let files = event.data.files {
                do {
                    let adopted = try RolloutConfigParser.inForce(files: files)
                    roster = adopted
                    audit.identity = adopted.identity
                } catch {
                    audit.problem = .init(line: number, message: "line \(number): the configuration adopted at seq \(event.seq) does not parse: \(error)")
                    return false
                }
            }
            return true
        }
        return audit
    }

    static func judge(_ e: Event, _ signing: SSHPublicKey?, _ config: RolloutConfig, _ number: Int, _ audit: inout DecisionAudit) -> VerifyReport.Problem? {
        let decision = SignaturePolicy.isDecision(e.kind, e.data, config: config)
        guard let signing else {
            if SignaturePolicy.requiresSignature(e.kind, e.data, config: config) {
                return .init(line: number, message: "line \(number) (seq \(e.seq), \(e.kind.rawValue) by \(e.actor)) is not signed; this rollout is identity: signed")
            }
            if config.identity == .signed && decision { audit.unsignedLevers += 1 }
            return nil
        }
        guard let member = config.member(e.actor), member.keys.contains(signing) else {
            return .init(line: number, message: "line \(number) (seq \(e.seq), \(e.kind.rawValue)) claims \(e.actor) but is signed by \(signing.fingerprint), which is not \(e.actor)'s key in the roster in force")
        }
        guard e.data.rollout == config.name else {
            return .init(line: number, message: "line \(number) (seq \(e.seq)) was signed for rollout '\(e.data.rollout ?? "?")', not '\(config.name)'")
        }
        if let why = RecordJudge.touchRefusal(e, member: member, policy: config.policy) {
            return .init(line: number, message: "line \(number) (seq \(e.seq)): \(why)")
        }
        audit.tally(e, signer: signing)
        return nil
    }

    public static func check(journal url: URL, upTo limit: Int = .max) throws -> DecisionAudit {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: url.path, upTo: limit)
        return try check { body in try reader.forEachLine(body) }
    }

    /// The same over a JSON Lines export: its records carry their signatures, and a full export the
    /// adopted configurations, so an auditor checks every decision offline.
    public static func check(export url: URL) throws -> DecisionAudit {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: url.path)
        let marker = Array(#"{"golive_export"#.utf8)
        return try check { body in
            try reader.forEachLine { line, number in line.starts(with: marker) ? true : try body(line, number) }
        }
    }

    /// Counts one record the judge folded (`Store.judgedRebuild`): the journal's audit is the
    /// judge's own pass, so its signatures are checked once, on both cores.
    public mutating func count(_ e: Event, signer: SSHPublicKey?) {
        guard SignaturePolicy.decisionKinds.contains(e.kind) else { return }
        guard let signer else {
            if SignaturePolicy.isLever(e.kind, e.data) { unsignedLevers += 1 }
            return
        }
        tally(e, signer: signer)
    }

    mutating func tally(_ e: Event, signer: SSHPublicKey) {
        signedDecisions += 1
        keys[signer.fingerprint] = e.actor
        if signer.isPublishedDemoKey { demoSigned += 1 }
        if signer.type.isHardware, e.sig.flatMap({ try? SSHSignature(base64: $0) })?.presence?.userPresent == true { touched += 1 }
    }

    /// One line for people: what was signed, by how many keys, and what was not.
    public var summary: String {
        switch identity {
        case .signed?:
            let levers = unsignedLevers == 0 ? "" : "; \(unsignedLevers) hold/rollback record(s) unsigned (allowed: the levers never wait for a key)"
            let demo = demoSigned == 0 ? "" : "; DEMO: \(demoSigned) of them by the published demo keys, which anyone can sign with: they prove nothing"
            let touch = touched == 0 ? "" : "; \(touched) of them show a touch of a hardware key"
            return "\(signedDecisions) signed decision(s) by \(keys.count) key(s)\(touch)\(levers)\(demo)"
        case .names?:
            return "identity: names — UNSIGNED: who decided is what each operator typed (--as), not verified"
        case nil:
            return "no adopted configuration in the journal: signatures not judged"
        }
    }
}
