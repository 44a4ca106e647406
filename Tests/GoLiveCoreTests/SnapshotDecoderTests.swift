import Foundation
import Testing
@testable import GoLiveCore

/// state.json's reader must read every state as JSONDecoder does, and refuse what it refuses.
@Suite struct SnapshotDecoderTests {
    static func states() throws -> [RolloutState] {
        var out: [RolloutState] = []
        let store = try Fixtures.sampleStore()
        out.append(try store.loadState().state)
        for stage in ["shadow", "1%", "held", "unknown", "completed", "rolled_back"] {
            var sim = try CanarySim(hook: true)
            sim.reach(stage)
            sim.fold([EventDraft(.itemWaived, EventData(item: "operations.runbook", reason: "r \"quoted\"\n é", expires: sim.now.addingTimeInterval(86_400)))], by: "alice")
            out.append(sim.state)
        }
        return out
    }

    @Test func everyStateReadsTheSameAsWithJSONDecoder() throws {
        for state in try Self.states() {
            let bytes = try JSONCoding.encoder().encode(state)
            let fast = try SnapshotDecoder.decode(bytes)
            #expect(fast == (try JSONCoding.decoder().decode(RolloutState.self, from: bytes)))
            #expect(fast == state)
        }
    }

    @Test func aStateMissingARequiredFieldIsRefusedByBoth() throws {
        let state = try #require(try Self.states().first)
        let text = String(decoding: try JSONCoding.encoder().encode(state), as: UTF8.self)
        for (key, replacement) in [(#""changes":"#, #""changez":"#), (#""readinessSeq":"#, #""readinessSeqX":"#)] {
            let broken = Data(text.replacingOccurrences(of: key, with: replacement).utf8)
            #expect((try? SnapshotDecoder.decode(broken)) == nil, "\(key)")
            #expect((try? JSONCoding.decoder().decode(RolloutState.self, from: broken)) == nil, "\(key)")
        }
    }

    @Test func mutatedStatesAreAcceptedAndRefusedAlike() throws {
        var rng = SystemRandomNumberGenerator()
        let encoded = try Self.states().map { [UInt8](try JSONCoding.encoder().encode($0)) }
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsn"#.utf8) + [0x0A, 0xC3]
        var disagreements: [String] = []
        for _ in 0..<3000 {
            var bytes = encoded.randomElement(using: &rng)!
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes[i] = alphabet.randomElement(using: &rng)!
            case 1: bytes.remove(at: i)
            default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
            }
            let data = Data(bytes)
            let fast = try? SnapshotDecoder.decode(data)
            let slow = try? JSONCoding.decoder().decode(RolloutState.self, from: data)
            if fast != slow { disagreements.append("fast \(fast == nil ? "refused" : "read"), JSONDecoder \(slow == nil ? "refused" : "read") at byte \(i): …\(String(decoding: bytes[max(0, i - 60)..<min(bytes.count, i + 40)], as: UTF8.self))…") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count):\n\(disagreements.prefix(8).joined(separator: "\n"))")
    }
}
