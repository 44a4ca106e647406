import Foundation
import Testing
@testable import GoLiveCore

@Suite struct ProbeRunnerTests {
    let dir = Fixtures.tempDir("probe")

    @Test func exitCodesDecidePassAndFail() {
        let ok = ProbeRunner.run(ProbeSpec(command: "sh", arguments: ["-c", "echo all 7 cases green"]), in: dir)
        #expect(ok.result == .passed && ok.summary.contains("all 7 cases green") && ok.outputSha256.count == 64)
        let bad = ProbeRunner.run(ProbeSpec(command: "sh", arguments: ["-c", "echo nope; exit 3"]), in: dir)
        #expect(bad.result == .failed && bad.summary.hasPrefix("exit 3 (expected 0)"))
        let expected = ProbeRunner.run(ProbeSpec(command: "sh", arguments: ["-c", "exit 3"], expectedExit: 3), in: dir)
        #expect(expected.result == .passed)
    }

    @Test func aMissingCommandCouldNotRun() {
        let r = ProbeRunner.run(ProbeSpec(command: "no-such-probe-command-xyz"), in: dir)
        #expect(r.result == .couldNotRun && r.summary.contains("command not found"))
    }

    /// The probe runs in its working directory, set by the spawn itself (no shell in between).
    @Test func aProbeRunsInItsWorkingDirectoryAndAMissingOneCouldNotRun() throws {
        let sub = dir.appendingPathComponent("probe-wd-\(Identity.randomHex(bytes: 3))")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let here = ProbeRunner.run(ProbeSpec(command: "sh", arguments: ["-c", "pwd"], workingDirectory: sub.path), in: dir)
        #expect(here.result == .passed && here.output.contains(sub.lastPathComponent), "\(here.output)")
        let gone = ProbeRunner.run(ProbeSpec(command: "sh", arguments: ["-c", "pwd"], workingDirectory: sub.path + "-gone"), in: dir)
        #expect(gone.result == .couldNotRun && gone.summary.contains("no working directory"), "\(gone.summary)")
    }

    @Test func aTimeoutKillsTheWholeProcessGroupAndLeavesNoOrphan() throws {
        let marker = "golive-orphan-\(Identity.randomHex(bytes: 4))"
        let spec = ProbeSpec(command: "sh", arguments: ["-c", "sleep 30 & sleep 30; : \(marker)"], timeoutSeconds: 0.5)
        let r = ProbeRunner.run(spec, in: dir)
        #expect(r.result == .couldNotRun && r.summary.contains("timed out"))
        #expect(r.seconds < 5)
        // No live process of the probe's group is left in the process table (a zombie awaiting its
        // reaper is dead already), checked until a deadline.
        func alive() throws -> [String] { try ProcessTable.live(inGroup: r.processGroup) }
        let deadline = Date().addingTimeInterval(3)
        var left = try alive()
        while !left.isEmpty && Date() < deadline { usleep(50_000); left = try alive() }
        #expect(left.isEmpty, "still running in group \(r.processGroup): \(left)")
    }

    @Test func escapeSequencesInOutputAreSanitisedAndOutputIsBounded() {
        let r = ProbeRunner.run(ProbeSpec(command: "printf", arguments: ["\\033[2J\\033]0;pwned\\007done"]), in: dir)
        #expect(r.output.contains("\\e[2J\\e]0;pwned\\u{7}done"))
        #expect(!r.output.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
        let big = ProbeRunner.run(ProbeSpec(command: "sh", arguments: ["-c", "head -c 200000 /dev/zero | tr '\\\\0' x"]), in: dir)
        #expect(big.output.contains("output cut at 64 KiB"))
    }

    @Test func builtInReadersRunAsProbes() {
        let sample = Fixtures.sampleData
        let junit = ProbeRunner.run(ProbeSpec(command: "builtin:junit", arguments: ["evidence/junit-pytest-evals.xml"]), in: sample)
        #expect(junit.result == .failed && junit.summary.hasPrefix("4/6 eval cases passed"))
        let slo = ProbeRunner.run(ProbeSpec(command: "builtin:openslo", arguments: ["evidence/openslo-v1-slos.yaml", "web"]), in: sample)
        #expect(slo.result == .passed)
        let missing = ProbeRunner.run(ProbeSpec(command: "builtin:otlp", arguments: ["evidence/nope.json"]), in: sample)
        #expect(missing.result == .couldNotRun)
    }
}

@Suite struct ProbeEvidenceAgeTests {
    @Test func probeEvidenceOlderThanItsMaximumAgeCountsAsOpen() throws {
        let store = try Fixtures.sampleStore()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let outcome = ProbeRunner.run(ProbeSpec(command: "builtin:openslo", arguments: ["evidence/support-copilot-slos.yaml", "support-copilot"]), in: store.directory)
        try Cockpit(store: store, clock: .fixed(t0)).perform(.recordProbe(id: "eval_slo.slo_defined", outcome: outcome), as: Fixtures.actor("carol"))
        let fresh = try Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(3600))).readiness().assess(id: "eval_slo.slo_defined")
        #expect(fresh?.standing == .satisfied)
        // The sample gives this probe a maximum age of 131400 minutes (a quarter).
        let stale = try Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(92 * 86_400))).readiness().assess(id: "eval_slo.slo_defined")
        #expect(stale?.standing == .open && stale?.detail.contains("older than 131400 min") == true)
    }

    /// Found while bounding the state (issue 14): a note added later made old probe evidence look
    /// fresh, because the age was read from the newest evidence entry, whatever it was.
    @Test func aLaterNoteDoesNotMakeOldProbeEvidenceFresh() throws {
        let store = try Fixtures.sampleStore()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let outcome = ProbeRunner.run(ProbeSpec(command: "builtin:openslo", arguments: ["evidence/support-copilot-slos.yaml", "support-copilot"]), in: store.directory)
        try Cockpit(store: store, clock: .fixed(t0)).perform(.recordProbe(id: "eval_slo.slo_defined", outcome: outcome), as: Fixtures.actor("carol"))
        try Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(6 * 86_400))).perform(
            .addEvidence(id: "eval_slo.slo_defined", text: "looked at the dashboard", url: nil), as: Fixtures.actor("carol"))
        let stale = try Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(92 * 86_400))).readiness().assess(id: "eval_slo.slo_defined")
        #expect(stale?.standing == .open && stale?.detail.contains("older than 131400 min") == true, "\(String(describing: stale))")
    }
}

@Suite struct ProbeEntryPointTests {
    /// The core decides before anything runs: read-only and role checks come first.
    @Test func aReadOnlyCockpitOrAnOperatorWithoutTheRoleNeverRunsTheProbe() throws {
        let store = try Fixtures.sampleStore()
        let marker = store.directory.appendingPathComponent("probe-ran")
        var text = try String(contentsOf: store.rolloutURL, encoding: .utf8)
        text = text.components(separatedBy: "\n# Automated checks").first! + """

        items:
          runtime.happy_path:
            probe: {command: sh, args: ["-c", "touch \(marker.path)"], timeout_seconds: 10}

        """
        try text.write(to: store.rolloutURL, atomically: true, encoding: .utf8)
        try Cockpit(store: store).adoptConfiguration(reason: "a probe for the happy path", as: Fixtures.actor("alice"))
        #expect(throws: Refusal.self) { try Cockpit(store: store, readOnly: true).runProbe(id: "runtime.happy_path", as: Fixtures.actor("alice")) }
        #expect(throws: Refusal.self) { try Cockpit(store: store).runProbe(id: "runtime.happy_path", as: Fixtures.actor("erin")) }
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        let (outcome, _) = try Cockpit(store: store).runProbe(id: "runtime.happy_path", as: Fixtures.actor("alice"))
        #expect(outcome.result == .passed && FileManager.default.fileExists(atPath: marker.path))
    }
}

@Suite struct OutputDigestTests {
    /// Integrity finding 10: the "full output sha256" was the hash of the first 64 KiB only.
    @Test func theOutputDigestCoversAllOfTheOutputNotOnlyWhatIsKept() throws {
        let dir = Fixtures.tempDir("digest")
        let spec = ProbeSpec(command: "sh", arguments: ["-c", "yes ab | head -c 200000"], timeoutSeconds: 10)
        let outcome = ProbeRunner.run(spec, in: dir)
        let all = Array(String(repeating: "ab\n", count: 66_667).utf8.prefix(200_000))
        #expect(outcome.outputSha256 == Digest.sha256Hex(all))
        #expect(outcome.output.count < 70_000, "the kept output is bounded")
        #expect(outcome.output.contains("of 200000 bytes"), "the cut says how much there was")
    }

    /// A process that ignores SIGPIPE (the store agent; any that used PostgresNIO) starts its
    /// probes with it restored: `yes | head` ends quietly, as in a shell.
    @Test func aProbeStartedWhileSIGPIPEIsIgnoredEndsOnItAsInAShell() throws {
        let before = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, before) }
        let spec = ProbeSpec(command: "sh", arguments: ["-c", "yes ab | head -c 3000"], timeoutSeconds: 10)
        let outcome = ProbeRunner.run(spec, in: Fixtures.tempDir("sigpipe"))
        #expect(outcome.output == String(repeating: "ab\n", count: 1000), "\(outcome.output.suffix(80))")
    }
}

@Suite struct InheritedDescriptorTests {
    /// A descriptor opened without O_CLOEXEC elsewhere in the process (Foundation writing a file,
    /// the store's lock) must not reach a hook or probe: it made a freshly written hook fail with
    /// "Text file busy" when a parallel spawn inherited its write end.
    @Test func aChildKeepsOnlyItsStandardDescriptors() throws {
        let file = Fixtures.tempDir("fd").appendingPathComponent("open-without-cloexec")
        try Data("x".utf8).write(to: file)
        let fd = open(file.path, O_RDONLY)
        defer { close(fd) }
        #expect(fd > 2)
        let run = try ChildProcess.run(["sh", "-c", "ls /proc/self/fd"])
        let open = run.stdout.text.split(separator: "\n").compactMap { Int($0) }
        #expect(!open.contains(Int(fd)), "fd \(fd) leaked into the child: \(open)")
    }
}

/// The sample journal is dated 2026-11-29 (scripts/make-sample-journal.sh) and the CLI tests read
/// it at the real time: a waiver or a probe's maximum age running out turns dozens of them red at
/// once, for no fault of the code (it happened on 2026-12-06). This says so first, and what to do.
@Suite struct SampleHorizonTests {
    @Test func theSampleJournalIsNotAboutToRot() throws {
        let store = try Fixtures.sampleStore()
        let r = try Cockpit(store: store).readiness()
        var horizon: [(Date, String)] = []
        for id in r.state.items.ids {
            let s = r.state.item(id)
            if let w = s.waiver, s.status == .waived { horizon.append((w.expires, "the waiver of \(id)")) }
            if let age = r.config.item(id)?.probe?.maxAgeMinutes, let at = s.resultAt, s.status == .passed {
                horizon.append((at.addingTimeInterval(Double(age) * 60), "the evidence of \(id) (max_age_minutes: \(age))"))
            }
        }
        let first = try #require(horizon.min { $0.0 < $1.0 })
        #expect(Date().addingTimeInterval(2 * 86_400) < first.0,
                "\(first.1) in the sample runs out at \(Timestamp.format(first.0)): the CLI tests read the sample at the real time. Regenerate it (scripts/make-sample-journal.sh) with a later faketime date, move UIFixtures.now after it, and record the snapshots again")
    }

    /// A store made from the sample (the demo, `golive init --from sample-data`, the PostgreSQL
    /// benchmark) believes a kept parse only if the sample's adoption names this build's parse
    /// digest. When the kept parse's format changed and the sample was not made again, every
    /// command on such a store parsed rollout.yaml again, and nothing else said so.
    @Test func theSampleAdoptionVouchesForThisBuildsParse() throws {
        let journal = try String(contentsOf: Fixtures.sampleData.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let adoption = try #require(journal.split(separator: "\n").first { $0.contains("\"config.adopted\"") })
        let named = try #require(try EventDecoder.decode(Data(adoption.utf8)).data.parsedSha256)
        let config = try RolloutConfigParser.load(directory: Fixtures.sampleData)
        #expect(ParsedConfigCache.parsedDigest(of: config) == named,
                "the sample's adoption vouches for a parse this build does not keep (ParsedConfigCache.format changed?): regenerate the sample (scripts/make-sample-journal.sh) and record the snapshots again")
    }
}
