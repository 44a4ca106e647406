import Foundation
import GoLiveTestSupport
import Testing
import GoLiveCore

@Suite(.serialized) struct DurabilityTests {
    /// A child appends in a loop and acknowledges each event after fsync; it is killed with SIGKILL
    /// at random moments. Every acknowledged event must survive and the chain must verify.
    @Test func sigkillNeverLosesAnAcknowledgedEvent() throws {
        let store = try CLI.sampleStore()
        let initial = try Store(directory: store).loadState().state.seq
        var maxAck = 0
        let seed = SeededGenerator.seedFromEnvironment()
        print("DurabilityTests: kill times from GOLIVE_TEST_SEED=\(seed)")
        var rng = SeededGenerator(seed: seed)
        var kills = 0
        for _ in 0..<20 {
            let child = try ChildProcess([CLI.benchBinary, "append-loop", "--store", store.path, "--as", "dan"], .init(environment: CLI.childEnvironment, stderr: .null))
            usleep(UInt32.random(in: 20_000...250_000, using: &rng))
            child.signal(SIGKILL)
            let result = child.wait()
            if result.ending == .signalled(SIGKILL) { kills += 1 }
            for line in result.stdout.text.split(separator: "\n") where line.hasPrefix("ack ") {
                maxAck = max(maxAck, Int(line.dropFirst(4)) ?? 0)
            }
            // A torn tail can only come from a kill inside write(2); it is reported and needs the explicit repair.
            let t = try Store(directory: store).tail()
            if t.tornBytes > 0 {
                #expect(try CLI.run(["item", "runtime.happy_path", "--note", "x"], store: store, as: "dan").code == 2)
                #expect(try CLI.run(["journal", "repair"], store: store, as: "dan").code == 0)
            }
        }
        #expect(kills == 20, "replay with GOLIVE_TEST_SEED=\(seed)")
        #expect(maxAck > initial, "the child acknowledged nothing")
        let report = try JournalVerifier.verify(fileAt: store.appendingPathComponent("journal.jsonl"))
        #expect(report.ok, "\(report.problem?.message ?? "")")
        #expect(report.lines >= maxAck)
        // The acknowledged events are there, in order, with their content.
        var seen = 0
        try Store(directory: store).forEachEvent { e in
            if e.seq <= maxAck { seen += 1 }
            return true
        }
        #expect(seen == maxAck)
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)
    }

    @Test func fourWritersTwoHundredFiftyEachMakeOneChainOfAThousand() throws {
        let store = try CLI.sampleStore()
        let base = try Store(directory: store).loadState().state.seq
        let writers = try (0..<4).map { i in
            try ChildProcess([CLI.benchBinary, "append-loop", "--count", "250", "--store", store.path, "--as", ["alice", "dan", "alice", "dan"][i]],
                             .init(environment: CLI.childEnvironment, stdout: .null))
        }
        for writer in writers { #expect(writer.wait().exitCode == 0) }
        let report = try JournalVerifier.verify(fileAt: store.appendingPathComponent("journal.jsonl"))
        #expect(report.ok)
        #expect(report.lines == base + 1000)
        let state = try Store(directory: store).loadState()
        #expect(state.state.seq == base + 1000)
        var loops = 0
        try Store(directory: store).forEachEvent { e in
            if e.data.evidence?.text.hasPrefix("loop ") == true { loops += 1 }
            return true
        }
        #expect(loops == 1000)
        // The state keeps the newest evidence and the count, not every entry.
        let item = state.state.item("runtime.happy_path")
        #expect(item.evidenceCount >= 1000 && item.evidence.count == ItemState.evidenceKept)
    }
}

/// Integrity finding 4 on a real full disk: a small tmpfs, filled up, so a write tears where the
/// kernel runs out of room. Needs root (to mount); elsewhere it says so and does nothing.
@Suite(.serialized) struct FullDiskTests {
    @Test func aWriteThatRanOutOfSpaceCountsForNothing() throws {
        guard geteuid() == 0 else {
            print("FullDiskTests: skipped, mounting a tmpfs needs root")
            return
        }
        let mountPoint = CLI.tempDir("full-disk")
        let mounted = try ChildProcess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.path], .init(stdout: .null))
        guard mounted.exitCode == 0 else {
            print("FullDiskTests: skipped, cannot mount a tmpfs here: \(mounted.stderr.text)")
            return
        }
        defer { _ = try? ChildProcess.run(["umount", "-l", mountPoint.path], .init(stdout: .null, stderr: .null)) }
        let store = mountPoint.appendingPathComponent("store")
        #expect(try CLI.run(["init", "--from", CLI.repoRoot.appendingPathComponent("sample-data").path, "--demo-keys"], store: store, as: "alice").code == 0)
        let journal = store.appendingPathComponent("journal.jsonl")
        // The case that matters: the write tears inside its last record (session.ended), after its
        // item.set is whole. Measure the write's records on a copy elsewhere, then size the note
        // so that session.started and item.set fit in the room the disk will have, and no more.
        let probe = try CLI.sampleStore()
        let probeJournal = probe.appendingPathComponent("journal.jsonl")
        let probeBefore = try Data(contentsOf: probeJournal).count
        let probeNote = String(repeating: "g", count: 100)
        #expect(try CLI.run(["item", "eval_slo.offline_evals", "--pass", "--note", probeNote], store: probe, as: "dan").code == 0)
        let records = try Data(contentsOf: probeJournal).dropFirst(probeBefore).split(separator: 0x0a).map(\.count)
        #expect(records.count == 3)
        // session.started quotes the command line, so it grows with the note and the store's path.
        let (started, itemSet, ended) = (records[0] + 1 + store.path.utf8.count - probe.path.utf8.count, records[1] + 1, records[2] + 1)
        var size = try Data(contentsOf: journal).count
        var room = 4096 - size % 4096
        if room < started + itemSet + 64 {
            // Not enough room left in the last page: one evidence write moves the end into a fresh page.
            let pad = String(repeating: "p", count: room / 2 + 200)
            #expect(try CLI.run(["item", "runtime.happy_path", "--evidence", "https://ci.example/1", "--note", pad], store: store, as: "dan").code == 0)
            size = try Data(contentsOf: journal).count
            room = 4096 - size % 4096
        }
        let noteLength = 100 + (room - started - itemSet - ended / 2) / 2
        #expect(noteLength > 100 && started + itemSet + 2 * (noteLength - 100) < room, "cannot size the write: room \(room)")
        let before = try Data(contentsOf: journal)
        // Fill the disk to the last byte.
        let filler = mountPoint.appendingPathComponent("filler")
        let fd = open(filler.path, O_WRONLY | O_CREAT, 0o644)
        let block = [UInt8](repeating: 0x61, count: 512)
        var wrote = 0
        repeat { wrote = block.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } } while wrote > 0
        while block.withUnsafeBytes({ write(fd, $0.baseAddress!, 1) }) == 1 {}
        close(fd)
        // A write bigger than the room left in the journal's last page tears part way.
        let note = String(repeating: "g", count: noteLength)
        let failed = try CLI.run(["item", "eval_slo.offline_evals", "--pass", "--note", note], store: store, as: "dan")
        #expect(failed.code == 2 && failed.err.contains("No space left on device"), "\(failed.code) \(failed.err)")
        let torn = try Data(contentsOf: journal)
        let tornLines = torn.dropFirst(before.count).split(separator: 0x0a, omittingEmptySubsequences: false)
        #expect(tornLines.count == 3 && !tornLines[2].isEmpty, "the write did not tear inside its last record: \(tornLines.map(\.count)); records \(records), room \(room), note \(noteLength)")
        // Nothing of the failed command counts, before or after repair.
        #expect(try CLI.run(["gate", "--no-record"], store: store).out.contains("✗ require offline_eval_pass"))
        // The disk is still full: the repair runs on the room the store kept back, and says so.
        let repair = try CLI.run(["journal", "repair"], store: store, as: "alice")
        #expect(repair.code == 0, "\(repair.err)")
        let status = try CLI.run(["status"], store: store)
        #expect(status.out.contains("disk reserve is used up"), "\(status.out)")
        #expect(try CLI.run(["audit", "export", "--format", "csv"], store: store).out.contains("written on the store's disk reserve"))
        try FileManager.default.removeItem(at: filler)
        #expect(try CLI.run(["item", "runtime.happy_path", "--evidence", "https://ci.example/2"], store: store, as: "dan").code == 0)
        #expect(!(try CLI.run(["status"], store: store).out.contains("disk reserve")), "the next write makes the reserve again")
        #expect(try Data(contentsOf: journal).prefix(before.count) == before)
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)
        let gate = try CLI.run(["gate", "--no-record"], store: store)
        #expect(gate.out.contains("✗ require offline_eval_pass"), "the failed command's item.set counts after repair")
    }
}
