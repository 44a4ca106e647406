import Foundation
import Testing
@testable import GoLiveCore

/// The fast record decoder (`EventDecoder`) is written by hand and skips keys it does not know, so
/// a field added to a record type and left out of it would be dropped silently on every read
/// (issue 28: decoders that cannot drift). One record with every field of every record type set
/// is read both ways and must come out the same; and every optional field, at every depth, must be
/// set in it, so a new field cannot be added without being added here, and so read by both.
@Suite struct DecoderDriftTests {
    /// Every field of `EventData` and of the types it holds, set.
    static let everyField = #"""
    {"item":"runtime.happy_path","status":"passed","note":"n","evidence":{"kind":"link","text":"t","url":"https://e/1","sha256":"aa","at":"2026-11-28T21:54:24.353Z","by":"dan"},
     "reason":"r","expires":"2026-12-28T21:54:24.353Z","contour":"runtime","role":"sre","items_hash":"ih","command":"golive item","name":"nm","version":"1.0",
     "session":{"id":"s-1","trace_id":"0af7651916cd43dd8448eb211c80319c","operator":"alice","os_user":"root","host":"vm","pid":42,"version":"0.2.0","terminal":"xterm","command":"golive"},
     "verdict":{"ready":false,"unmet":["a"],"blocks":["b"],"signoffs_missing":2,"policy_sha256":"p","state_sha256":"s","surface":"cli"},
     "transition":{"id":"t-1","action":"advance","from":"shadow","to":"1%","stage":"canary","step":1,"exposure_pct":1.5,"cohort":["acme"],"hook":"scripts/h.sh","reason":"go","break_glass":"outage"},
     "hook":{"outcome":"applied","summary":"ok","exit_code":0,"seconds":0.25,"output_sha256":"os","output":"out","process_group":77},
     "from":"f","to":"t","state_sha256":"ss","policy_sha256":"ps","applied":true,"auto":true,
     "files":[{"path":"rollout.yaml","sha256":"fs","size":3,"text":"a: 1"}],"config_sha256":"cs","rollout":"ro","state_digest":"sd","break_glass":true,
     "alert":{"kind":"auto_hold","rollout":"ro","stage":"held","exposure_pct":1,"who":"carol","reason":"r","next":"resume","seq":9,"contours":["runtime"],"at":"2026-11-28T21:54:24.353Z","key":"k"},
     "set_aside":{"through":4,"records":[{"seq":4,"hash":"h4"}],"file":"journal.refused-x.jsonl","sha256":"sa"},
     "previous":{"seq":3,"sha256":"pv"},"approvals":[4,5],"automation":true,"parsed_sha256":"pa"}
    """#

    static func line(data: String) -> Data {
        let compact = data.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        return Data(#"{"v":2,"seq":7,"prev":"p","actor":"bob","data":\#(compact),"kind":"item.set","os_user":"u","session":"s","ts":"2026-11-28T21:54:24.353Z","hash":"h"}"#.utf8)
    }

    /// The optional stored properties left nil in `value`, by path, at every depth.
    static func unset(_ value: Any, path: String = "data") -> [String] {
        var out: [String] = []
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let here = "\(path).\(label)"
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else { out.append(here); continue }
                out += unset(wrapped, path: here)
            } else if mirror.displayStyle == .struct {
                out += unset(child.value, path: here)
            } else if mirror.displayStyle == .collection || mirror.displayStyle == .dictionary || mirror.displayStyle == .set {
                // An empty list says nothing of its elements' fields: it counts as unset. Else a
                // field counts as set when one element sets it.
                guard mirror.children.first != nil else { out.append(here + " (empty)"); continue }
                var common: Set<String>?
                for element in mirror.children.map(\.value) {
                    let value = mirror.displayStyle == .dictionary ? Mirror(reflecting: element).children.dropFirst().first?.value ?? element : element
                    guard Mirror(reflecting: value).displayStyle == .struct else { break }
                    let missing = Set(unset(value, path: here + "[]"))
                    common = common.map { $0.intersection(missing) } ?? missing
                }
                out += (common ?? []).sorted()
            }
        }
        return out
    }

    @Test func aRecordWithEveryFieldReadsTheSameBothWays() throws {
        let line = Self.line(data: Self.everyField)
        let foundation = try JSONCoding.decoder().decode(Event.self, from: line)
        #expect(Self.unset(foundation.data).isEmpty,
                "fields not set in this test's record (set them here, and read them in EventDecoder): \(Self.unset(foundation.data))")
        let fast = try EventDecoder.decode(line)
        #expect(fast.data == foundation.data, "the fast decoder reads this record otherwise than JSONDecoder")
        #expect(try JSONCoding.encoder().encode(fast) == (try JSONCoding.encoder().encode(foundation)))
    }

    /// The check itself: a field the fast decoder does not read is caught (here, one it reads is
    /// taken away from the record the fast path sees).
    @Test func theCheckSeesAFieldTheFastDecoderDrops() throws {
        let full = try JSONCoding.decoder().decode(Event.self, from: Self.line(data: Self.everyField))
        let without = Self.everyField.replacingOccurrences(of: #""parsed_sha256":"pa""#, with: #""unknown_field":"pa""#)
        let fast = try EventDecoder.decode(Self.line(data: without))
        #expect(fast.data != full.data)
        #expect(Self.unset(fast.data) == ["data.parsedSha256"])
    }

    /// The same for state.json's fast reader (`SnapshotDecoder`): a state with every field of
    /// every type it holds set, read both ways. (`items.kept` and `itemRevisions.kept` are where
    /// the reader keeps the bytes it has not decoded: storage, not fields of the format.)
    @Test func aStateWithEveryFieldReadsTheSameBothWays() throws {
        var sim = try CanarySim(hook: true)
        sim.reach("held")
        let now = sim.now
        sim.fold([EventDraft(.itemWaived, EventData(item: "operations.runbook", reason: "r \"q\"", expires: now.addingTimeInterval(86_400)))], by: "alice")
        sim.fold([EventDraft(.itemEvidence, EventData(item: "observability.trace_id", evidence: Evidence(kind: "link", text: "t", url: "https://e/1", sha256: "ab", at: now, by: "carol")))], by: "carol")
        var state = sim.state
        state.signoffs.append(SignOff(contour: .runtime, role: "captain", by: "alice", at: now, itemsHash: "ih", note: "n", seq: 3))
        state.canary.approvals.append(CanaryApproval(by: "bob", role: "safety", from: "held", to: "5%", stateSha256: "s", policySha256: "p", at: now, seq: 9, note: "ok", key: "SHA256:k", breakGlass: true))
        state.canary.pending = try JSONCoding.decoder().decode(CanaryTransition.self, from: Data(#"{"id":"t-1","action":"advance","from":"1%","to":"5%","stage":"canary","step":1,"exposure_pct":5,"cohort":["acme"],"hook":"h","reason":"go","break_glass":"outage"}"#.utf8))
        state.canary.lastHook = try JSONCoding.decoder().decode(HookResult.self, from: Data(#"{"outcome":"applied","summary":"ok","exit_code":0,"seconds":0.5,"output_sha256":"os","output":"out","process_group":77}"#.utf8))
        state.canary.rollbackReason = "r"
        state.canary.breakGlass = "outage"
        state.canary.alerted = ["stale_shadow"]
        state.configApprovals.append(ConfigApproval(by: "bob", key: "SHA256:b", base: "b", digest: "d", seq: 5, at: now, proposal: false))
        state.refused.append(RefusedRecord(seq: 6, hash: "h", kind: "item.set", actor: "mallory", reason: "unsigned"))
        let missing = Self.unset(state, path: "state").filter { $0 != "state.items.kept" && $0 != "state.itemRevisions.kept" }
        #expect(missing.isEmpty, "fields not set in this test's state (set them here, and read them in SnapshotDecoder): \(missing)")
        let bytes = try JSONCoding.encoder().encode(state)
        let foundation = try JSONCoding.decoder().decode(RolloutState.self, from: bytes)
        #expect(foundation == state)
        #expect(try SnapshotDecoder.decode(bytes) == foundation, "the fast reader reads this state otherwise than JSONDecoder")
        #expect(try SnapshotDecoder.decode(keepingItems: ArraySlice(bytes)) == foundation)
    }
}

