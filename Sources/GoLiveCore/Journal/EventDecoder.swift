import Foundation

/// The one decoder of journal records: the fold, the exports, the timeline and the verifier's
/// decision pass all read records through it. Foundation's JSONDecoder spent three quarters of a
/// state rebuild in generic containers (issue 14); this reads the fields records carry directly
/// from the line's bytes, with JSONDecoder's rules: unknown keys ignored, null as absent, a
/// missing required field or a value of the wrong type an error; one rule differs, a member
/// written twice is read as its last, as jq and python read it (JSONDecoder keeps the first;
/// golive never writes one twice). The rare nested payloads (a
/// session, a verdict, a transition, a hook result, configuration files, an alert) are handed to
/// JSONDecoder for their own bytes only.
public enum EventDecoder {
    public typealias Malformed = JSONReader.Malformed

    /// `head`: the line's header, read already; its link and hash are shared, not copied, where
    /// the record's fields hold the same text.
    public static func decode(_ line: UnsafeBufferPointer<UInt8>, head: Journal.LineHead? = nil) throws -> Event {
        var r = Reader(bytes: line)
        let event = try r.event(head: head)
        r.skipSpace()
        guard r.i == line.count else { throw r.fail("text after the record") }
        return event
    }

    public static func decode(_ data: Data) throws -> Event {
        try data.withUnsafeBytes { raw in try decode(raw.bindMemory(to: UInt8.self)) }
    }

    typealias Reader = JSONReader
}

extension JSONReader {
    mutating func event(head: Journal.LineHead? = nil) throws -> Event {
        // Read into the record in place, the required fields counted one bit each: the record's
        // data is a large struct, and every copy of it (with a retain of each string) showed.
        var e = Event.unread
        var seen: UInt16 = 0
        try fields { r, key in
            switch key {
            case "v": e.v = try r.int(); seen |= 1
            case "seq": e.seq = try r.int(); seen |= 2
            case "prev": e.prev = try r.string(sharing: head?.prev); seen |= 4
            case "ts": e.ts = try r.date(); seen |= 8
            case "session": e.session = try r.string(); seen |= 16
            case "actor": e.actor = try r.string(); seen |= 32
            case "os_user": e.osUser = try r.string(); seen |= 64
            case "kind": e.kind = try r.raw(EventKind.self); seen |= 128
            case "data":
                // A second "data" replaces the first whole, as every other member written twice
                // is read (the last one, as jq and python read it).
                if seen & 256 != 0 { e.data = EventData() }
                try r.eventData(into: &e.data)
                seen |= 256
            case "sig": e.sig = try r.optional { try $0.string() }
            case "hash": e.hash = try r.string(sharing: head?.hash); seen |= 512
            default: try r.skipValue()
            }
        }
        guard seen == 1023 else { throw fail("a required field is missing") }
        return e
    }

    mutating func eventData(into d: inout EventData) throws {
        try fields { r, key in
            switch key {
            case "item": d.item = try r.optional { try $0.string() }
            case "status": d.status = try r.optional { try $0.raw(ItemStatus.self) }
            case "note": d.note = try r.optional { try $0.string() }
            case "evidence": d.evidence = try r.optional { try $0.evidence() }
            case "reason": d.reason = try r.optional { try $0.string() }
            case "expires": d.expires = try r.optional { try $0.date() }
            case "contour": d.contour = try r.optional { try $0.raw(Contour.self) }
            case "role": d.role = try r.optional { try $0.string() }
            case "items_hash": d.itemsHash = try r.optional { try $0.string() }
            case "command": d.command = try r.optional { try $0.string() }
            case "name": d.name = try r.optional { try $0.string() }
            case "version": d.version = try r.optional { try $0.string() }
            case "from": d.from = try r.optional { try $0.string() }
            case "to": d.to = try r.optional { try $0.string() }
            case "state_sha256": d.stateSha256 = try r.optional { try $0.string() }
            case "policy_sha256": d.policySha256 = try r.optional { try $0.string() }
            case "applied": d.applied = try r.optional { try $0.bool() }
            case "auto": d.auto = try r.optional { try $0.bool() }
            case "rollout": d.rollout = try r.optional { try $0.string() }
            case "config_sha256": d.configSha256 = try r.optional { try $0.string() }
            case "parsed_sha256": d.parsedSha256 = try r.optional { try $0.string() }
            case "state_digest": d.stateDigest = try r.optional { try $0.string() }
            case "break_glass": d.breakGlass = try r.optional { try $0.bool() }
            case "session": d.session = try r.optional { try $0.sessionInfo() }
            case "verdict": d.verdict = try r.optional { try $0.nested(ShownVerdict.self) }
            case "transition": d.transition = try r.optional { try $0.nested(CanaryTransition.self) }
            case "hook": d.hook = try r.optional { try $0.nested(HookResult.self) }
            case "files": d.files = try r.optional { try $0.configFiles() }
            case "alert": d.alert = try r.optional { try $0.nested(RaisedAlert.self) }
            case "automation": d.automation = try r.optional { try $0.bool() }
            case "previous": d.previous = try r.optional { try $0.nested(AdoptionRef.self) }
            case "approvals": d.approvals = try r.optional { try $0.nested([Int].self) }
            case "set_aside": d.setAside = try r.optional { try $0.nested(SetAside.self) }
            default: try r.skipValue()
            }
        }
    }

    mutating func evidence() throws -> Evidence {
        var kind: String?, text: String?, url: String?, sha: String?, at: Date?, by: String?
        try fields { r, key in
            switch key {
            case "kind": kind = try r.string()
            case "text": text = try r.string()
            case "url": url = try r.optional { try $0.string() }
            case "sha256": sha = try r.optional { try $0.string() }
            case "at": at = try r.optional { try $0.date() }
            case "by": by = try r.optional { try $0.string() }
            default: try r.skipValue()
            }
        }
        guard let kind, let text else { throw fail("evidence needs kind and text") }
        return Evidence(kind: kind, text: text, url: url, sha256: sha, at: at, by: by)
    }
}
