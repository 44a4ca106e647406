import Foundation
import Testing
import GoLiveCore

@Suite struct GateCLITests {
    /// Notes have a documented cap, the same from the CLI as in the cockpit.
    @Test func aNoteLongerThanTheCapIsBadInputAndNothingIsWritten() throws {
        let store = try CLI.sampleStore()
        let before = try Data(contentsOf: store.appendingPathComponent("journal.jsonl"))
        let r = try CLI.run(["item", "runtime.happy_path", "--pass", "--note", String(repeating: "x", count: 10_001)], store: store, as: "dan")
        #expect(r.code == 2 && r.err.contains("the note has 10001 characters; a note is at most 10000"), "\(r.err)")
        #expect(try Data(contentsOf: store.appendingPathComponent("journal.jsonl")) == before)
    }

    @Test func sampleGateFailsWithReasonsThenPassesOnceGapsAreClosed() throws {
        let store = try CLI.sampleStore()
        let first = try CLI.run(["gate"], store: store)
        #expect(first.code == 1)
        for needle in ["GATE: NOT READY", "require trace_coverage", "observability.key_spans", "require offline_eval_pass",
                       "eval_slo.offline_evals", "require oncall_owner", "operations.oncall_owner",
                       "block_if unknown_side_effect_path_missing", "capability refund_payment", "capability email_send"] {
            #expect(first.out.contains(needle), "gate output lacks \(needle)")
        }
        let json = try CLI.run(["gate", "--json"], store: store)
        #expect(json.code == 1)
        let verdict = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as! [String: Any]
        #expect(verdict["ready"] as? Bool == false)
        #expect((verdict["unmet"] as? [Any])?.count == 3)

        // The three items passed through the CLI and the two unknown-side-effect paths declared.
        try CLI.makeReady(store)
        let last = try CLI.run(["gate"], store: store)
        #expect(last.code == 0, "\(last.out)")
        #expect(last.out.contains("GATE: READY"))
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)
    }

    @Test func refusalsExitOneAndBadInputExitsTwo() throws {
        let store = try CLI.sampleStore()
        let refused = try CLI.run(["signoff", "safety", "--role", "eval"], store: store, as: "dan")
        #expect(refused.code == 1)
        #expect(refused.err.contains("refused"))
        let typo = try CLI.run(["item", "observability.key_span", "--pass"], store: store, as: "carol")
        #expect(typo.code == 2)
        #expect(typo.err.contains("did you mean 'observability.key_spans'"))
        let contour = try CLI.run(["signoff", "saftey", "--role", "safety"], store: store, as: "bob")
        #expect(contour.code == 2 && contour.err.contains("did you mean 'safety'"))
        #expect(try CLI.run(["gate", "--bogus"], store: store).code == 2)
        #expect(try CLI.run(["status"], store: CLI.tempDir("none")).code == 2)
    }

    /// A negative number given to a numeric option is that option's value, told what is wrong
    /// with it in the command's own words (the argument parser took `-1` for an option and said
    /// the value was missing); nothing is written.
    @Test func aNegativeNumberIsTheOptionsValueAndIsToldWhatIsWrongWithIt() throws {
        let store = try CLI.sampleStore()
        let before = try Data(contentsOf: store.appendingPathComponent("journal.jsonl"))
        for (args, said) in [
            (["wait", "--until", "ready", "--interval", "-1"], "--interval must be between 0.05 and 600 seconds"),
            (["canary", "watch", "--interval", "-1"], "--interval must be between 0.2 and 3600 seconds"),
            (["team", "allowed-signers", "--at", "-1"], "--at takes a record's seq (1 or more); got -1"),
            (["item", "operations.runbook", "--note", "x", "--expect-revision", "-1"], "--expect-revision takes a revision (0 or more); got -1"),
            (["waive", "operations.runbook", "--reason", "r", "--expires", "7d", "--expect-revision", "-1"], "--expect-revision takes a revision (0 or more); got -1"),
            (["store", "agent", "--idle-exit", "-1"], "--idle-exit takes 0 or more seconds, not -1"),
        ] {
            let r = try CLI.run(args, store: store, as: "alice")
            #expect(r.code == 2 && r.err.contains(said), "\(args.joined(separator: " ")): \(r.code) \(r.err)")
        }
        #expect(try Data(contentsOf: store.appendingPathComponent("journal.jsonl")) == before)
    }

    @Test func helpIsThereForEveryCommand() throws {
        let top = try CLI.run(["--help"])
        #expect(top.code == 0)
        for cmd in ["status", "gate", "item", "waive", "signoff", "init", "demo", "policy", "audit"] {
            #expect(top.out.contains(cmd))
        }
        let item = try CLI.run(["item", "--help"])
        #expect(item.out.contains("--pass") && item.out.contains("Examples"))
    }
}

@Suite struct PolicyLintCLITests {
    func lint(_ text: String) throws -> CLI.Result {
        let file = CLI.tempDir("lint").appendingPathComponent("policy.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try CLI.run(["policy", "lint", file.path])
    }

    @Test func sectionNinePasses() throws {
        let r = try lint(Policy.sectionNineYAML)
        #expect(r.code == 0)
        #expect(r.out.contains("ok — 7 requirements, 3 blocks"))
    }

    /// Integrity finding 10: a duplicate key was reported at 1:1 with the whole file quoted in the
    /// message (and so in the journal and the CSV export when a probe read it).
    @Test func aDuplicateKeyIsNamedAtItsSecondOccurrenceWithoutQuotingTheFile() throws {
        let text = Policy.sectionNineYAML + "  waivers:\n    max_days: 30\n    roles: [captain]\n    max_days: 90\n"
        let r = try lint(text)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(r.code == 2)
        #expect(r.err.contains("policy.yaml:\(line):5: error: duplicate key 'max_days'"), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1 && !r.err.contains("require:"), "the message quotes the file: \(r.err)")
    }

    @Test func misspeltConditionWrongTypeAndBadIndentationFailWithPositions() throws {
        let misspelt = try lint(Policy.sectionNineYAML.replacingOccurrences(of: "- oncall_owner", with: "- oncal_owner"))
        #expect(misspelt.code == 2)
        #expect(misspelt.err.contains("policy.yaml:9:7: error: unknown condition 'oncal_owner'; did you mean 'oncall_owner'?"))

        let wrongType = try lint(Policy.sectionNineYAML.replacingOccurrences(of: "require_shadow_period: true", with: "require_shadow_period: [yes]"))
        #expect(wrongType.code == 2)
        #expect(wrongType.err.contains("policy.yaml:13:28: error: 'require_shadow_period' must be true or false"))

        let indent = try lint(Policy.sectionNineYAML.replacingOccurrences(of: "    - policy_prechecks", with: "   - policy_prechecks"))
        #expect(indent.code == 2)
        #expect(indent.err.contains("policy.yaml:4:"))
        #expect(indent.err.contains("check the indentation"))
    }
}

@Suite struct AuditVerifyCLITests {
    @Test func tamperingIsNamedAndNothingIsModified() throws {
        let store = try CLI.sampleStore()
        let journal = store.appendingPathComponent("journal.jsonl")
        var text = try String(contentsOf: journal, encoding: .utf8)
        let firstLine = text.split(separator: "\n").firstIndex { $0.contains("0/400 leaks") }! + 1
        text = text.replacingOccurrences(of: "0/400 leaks", with: "1/400 leaks")
        try text.write(to: journal, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: journal)
        let r = try CLI.run(["audit", "verify"], store: store)
        #expect(r.code == 1)
        #expect(r.out.contains("journal.jsonl:\(firstLine): FAILED — line \(firstLine) (seq \(firstLine)) was altered"))
        #expect(try Data(contentsOf: journal) == before)
    }
}

@Suite struct AuditExportCLITests {
    @Test func exportSignAndVerifyOfflineAndFailuresNameTheRecord() throws {
        let store = try CLI.sampleStore()
        let dir = CLI.tempDir("audit")
        let keys = dir.appendingPathComponent("team")
        #expect(try CLI.run(["audit", "keygen", "--out", keys.path]).code == 0)
        let out = dir.appendingPathComponent("all.jsonl")
        let exp = try CLI.run(["audit", "export", "--format", "jsonl", "--out", out.path, "--sign", keys.path + ".key"], store: store)
        #expect(exp.code == 0, "\(exp.err)")
        let ok = try CLI.run(["audit", "verify", out.path, "--key", keys.path + ".pub"])
        #expect(ok.code == 0 && ok.out.contains("signature good (ed25519)"))
        // A second key pair is the wrong key.
        #expect(try CLI.run(["audit", "keygen", "--out", dir.appendingPathComponent("other").path]).code == 0)
        let wrong = try CLI.run(["audit", "verify", out.path, "--key", dir.appendingPathComponent("other.pub").path])
        #expect(wrong.code == 1 && wrong.out.contains("different key"))
        // One changed byte in a record.
        var text = try String(contentsOf: out, encoding: .utf8)
        let forged = text.replacingOccurrences(of: "\"actor\":\"bob\"", with: "\"actor\":\"rob\"")
        #expect(forged != text, "the export has no record by bob to alter")
        text = forged
        try text.write(to: out, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["audit", "verify", out.path])
        #expect(bad.code == 1 && bad.out.contains("was altered"))
        // Bad input: an unknown format, --sign without --out.
        let format = try CLI.run(["audit", "export", "--format", "xml"], store: store)
        #expect(format.code == 2)
        #expect(format.err.contains("unknown format 'xml'") && (format.err.contains("did you mean") || format.err.contains("expected one of")))
        #expect(try CLI.run(["audit", "export", "--sign", keys.path + ".key"], store: store).code == 2)
    }

    @Test func markdownAndCsvGoToStandardOutputAndFiltersApply() throws {
        let store = try CLI.sampleStore()
        let md = try CLI.run(["audit", "export", "--format", "md"], store: store)
        #expect(md.code == 0)
        for section in ["## Summary", "## Sessions", "## Timeline", "## Sign-offs", "## Waivers", "## Refusals", "## Canary transitions", "## Chain"] {
            #expect(md.out.contains(section))
        }
        #expect(md.out.contains("operations.runbook"))
        let csv = try CLI.run(["audit", "export", "--format", "csv", "--since", "2100-01-01"], store: store)
        #expect(csv.out.split(separator: "\n").count == 1)
        // A bare date covers the whole day, for --since and for --until alike.
        var first: Date?
        try Store(directory: store).forEachEvent { first = $0.ts; return false }
        let firstDay = String(Timestamp.format(try #require(first)).prefix(10))
        let today = String(Timestamp.format(Date()).prefix(10))
        let all = try CLI.run(["audit", "export", "--format", "csv"], store: store).out.split(separator: "\n").count
        let day = try CLI.run(["audit", "export", "--format", "csv", "--since", firstDay, "--until", today], store: store)
        #expect(day.code == 0 && day.out.split(separator: "\n").count == all)
    }
}

@Suite struct ProbeCLITests {
    @Test func probeRunRecordsOutcomesThatTheGateFollows() throws {
        let store = try CLI.sampleStore()
        try CLI.replaceItems(in: store, with: """
        items:
          eval_slo.offline_evals:
            probe: {command: "builtin:junit", args: [evidence/junit-pytest-evals.xml]}
          eval_slo.slo_defined:
            probe: {command: "builtin:openslo", args: [evidence/openslo-v1-slos.yaml, web]}
          operations.oncall_owner:
            probe: {command: "sh", args: ["-c", "echo rota has 4 people"], timeout_seconds: 5}

        """)
        let r = try CLI.run(["probe", "run", "--all"], store: store, as: "alice")
        #expect(r.code == 1, "the JUnit file has failures")
        #expect(r.out.contains("eval_slo.offline_evals") && r.out.contains("4/6 eval cases passed"))
        #expect(r.out.contains("operations.oncall_owner") && r.out.contains("rota has 4 people"))
        let item = try CLI.run(["item", "operations.oncall_owner", "--json"], store: store)
        #expect(item.out.contains("\"status\" : \"passed\"") && item.out.contains("\"kind\" : \"probe\""))
        let gate = try CLI.run(["gate"], store: store)
        #expect(!gate.out.contains("require oncall_owner"))
        #expect(gate.out.contains("require offline_eval_pass"))
        let bad = try CLI.run(["probe", "run", "runtime.happy_path"], store: store, as: "alice")
        #expect(bad.code == 2 && bad.err.contains("has no probe"))
    }
}

@Suite struct SampleProbeTests {
    /// The shipped files imply: key spans present in every trace, SLOs defined for the service,
    /// 2 eval failures in the JUnit report, and a rota of one person (the probe wants two).
    @Test func probeRunAllOnTheSampleGivesTheVerdictItsFilesImply() throws {
        let store = try CLI.sampleStore()
        let run = try CLI.run(["probe", "run", "--all"], store: store, as: "alice")
        #expect(run.code == 1)
        let gate = try CLI.run(["gate", "--json"], store: store)
        #expect(gate.code == 1)
        let v = try JSONSerialization.jsonObject(with: Data(gate.out.utf8)) as! [String: Any]
        let unmet = (v["unmet"] as! [[String: Any]]).map { $0["name"] as! String }
        let blocks = (v["blocks"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(unmet == ["offline_eval_pass", "oncall_owner"])
        #expect(blocks == ["unknown_side_effect_path_missing"])
        #expect((v["met"] as! [String]).contains("trace_coverage") && (v["met"] as! [String]).contains("slo_defined"))
        let oncall = try CLI.run(["item", "operations.oncall_owner"], store: store)
        #expect(oncall.out.contains("needs at least 2 people on the rota") && oncall.out.contains("[probe]") && oncall.out.contains("sha256:"))
    }
}

@Suite struct TimeInputCLITests {
    /// `waive --expires 1e300d` crashed golive with SIGILL; `2026-02-30` became March 2.
    @Test func impossibleExpiriesAreRefusedWithExitTwoAndNothingWritten() throws {
        let store = try CLI.sampleStore()
        let before = try Data(contentsOf: store.appendingPathComponent("journal.jsonl"))
        for expiry in ["1e300d", "infd", "2026-02-30", "2026-12-31T25:00:00Z"] {
            let r = try CLI.run(["waive", "operations.runbook", "--reason", "later", "--expires", expiry], store: store, as: "alice")
            #expect(r.code == 2, "\(expiry): exit \(r.code) \(r.err)")
            #expect(r.err.contains("cannot read the time '\(expiry)'") || r.err.contains("'\(expiry)'"), "\(expiry): \(r.err)")
        }
        #expect(try Data(contentsOf: store.appendingPathComponent("journal.jsonl")) == before)
    }
}

@Suite struct SnapshotFormatCLITests {
    /// Integrity finding 10: 14 bytes written by anyone (`{"format":99}`) blocked every command.
    /// The snapshot only saves time: a newer one is set aside, the state rebuilt from the journal.
    @Test func aNewerFormatSnapshotIsSetAsideNotALockOnTheStore() throws {
        let store = try CLI.sampleStore()
        let snapshot = store.appendingPathComponent("state.json")
        try Data(#"{"format":99}"#.utf8).write(to: snapshot)
        let status = try CLI.run(["status"], store: store)
        #expect(status.code == 0, "\(status.err)")
        let write = try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "re-run"], store: store, as: "alice")
        #expect(write.code == 0, "\(write.err)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: store.path).filter { $0.hasPrefix("state.json.format99") }
        #expect(aside.count == 1, "the newer snapshot was not kept aside")
        #expect(try String(contentsOf: snapshot, encoding: .utf8).hasPrefix(#"{"format":9,"#))
        #expect(try CLI.run(["gate"], store: store).code == 1)  // answers (NOT READY), no longer exit 2
    }
}

@Suite struct ExportConsistencyCLITests {
    /// Integrity finding 9: exports taken while another process wrote failed verification ("records
    /// end at seq 185, not at the journal head the header names"): the exporter read past its head.
    @Test func fullExportsTakenDuringWritesVerify() throws {
        let store = try CLI.sampleStore()
        let writer = try ChildProcess([CLI.benchBinary, "append-loop", "--count", "3000", "--store", store.path, "--as", "dan"], .init(environment: CLI.childEnvironment, stdout: .null, stderr: .null))
        defer { writer.signal(SIGKILL); _ = writer.wait() }
        let folder = CLI.tempDir("exports")
        var bad: [String] = []
        for i in 0..<15 {
            let out = folder.appendingPathComponent("e\(i).jsonl").path
            let export = try CLI.run(["audit", "export", "--format", "jsonl", "--out", out], store: store)
            #expect(export.code == 0, "\(export.err)")
            let verify = try CLI.run(["audit", "verify", out])
            if verify.code != 0 { bad.append(verify.out) }
        }
        #expect(bad.isEmpty, "\(bad.count) of 15 exports failed: \(bad.first ?? "")")
        let lines = try String(contentsOfFile: folder.appendingPathComponent("e14.jsonl").path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 100, "the writer had not started: nothing raced")
    }

    /// Anyone can write a "valid" export of invented records; without a signature it proves
    /// only that it is self-consistent, and verify must say so.
    @Test func anUnsignedExportIsIntactButNotAuthenticated() throws {
        let store = try CLI.sampleStore()
        let out = CLI.tempDir("unsigned").appendingPathComponent("e.jsonl").path
        #expect(try CLI.run(["audit", "export", "--format", "jsonl", "--out", out], store: store).code == 0)
        let text = try CLI.run(["audit", "verify", out])
        #expect(text.code == 0 && text.out.contains("intact but not authenticated"), "\(text.out)")
        let json = try CLI.run(["audit", "verify", out, "--json"])
        #expect(json.out.contains(#""authenticated" : false"#), "\(json.out)")
    }
}

@Suite struct SymlinkCLITests {
    let fm = FileManager.default

    /// Integrity finding 8: a dangling journal.jsonl link made golive create the link's target.
    @Test func aStoreWhoseJournalIsALinkIsRefusedAndTheTargetNeverCreated() throws {
        let store = try CLI.sampleStore()
        let elsewhere = CLI.tempDir("victim").appendingPathComponent("created-by-golive")
        try fm.removeItem(at: store.appendingPathComponent("journal.jsonl"))
        try fm.createSymbolicLink(atPath: store.appendingPathComponent("journal.jsonl").path, withDestinationPath: elsewhere.path)
        let r = try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "x"], store: store, as: "alice")
        #expect(r.code == 2 && r.err.contains("symbolic link"), "\(r.code) \(r.err)")
        #expect(!fm.fileExists(atPath: elsewhere.path), "golive created the link's target")
    }

    @Test func aSnapshotOrLockThatIsALinkIsRefusedAndItsTargetUntouched() throws {
        for name in ["state.json", "lock"] {
            let store = try CLI.sampleStore()
            #expect(try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "first"], store: store, as: "alice").code == 0)
            let victim = CLI.tempDir("victim").appendingPathComponent("precious.txt")
            try Data("precious".utf8).write(to: victim)
            try? fm.removeItem(at: store.appendingPathComponent(name))
            try fm.createSymbolicLink(atPath: store.appendingPathComponent(name).path, withDestinationPath: victim.path)
            let r = try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "second"], store: store, as: "alice")
            #expect(r.code == 2 && r.err.contains("symbolic link"), "\(name): \(r.code) \(r.err)")
            #expect(try String(contentsOf: victim, encoding: .utf8) == "precious", "\(name): the link's target was written")
        }
    }

    /// `init --from` copied a journal link as a link, so the new store wrote into the source's journal.
    @Test func initFromCopiesBytesNotLinks() throws {
        let source = CLI.tempDir("source")
        let sample = CLI.repoRoot.appendingPathComponent("sample-data")
        for name in ["rollout.yaml", "policy.yaml", "scripts", "demo-keys"] { try fm.copyItem(at: sample.appendingPathComponent(name), to: source.appendingPathComponent(name)) }
        let realJournal = CLI.tempDir("real").appendingPathComponent("journal.jsonl")
        try fm.copyItem(at: sample.appendingPathComponent("journal.jsonl"), to: realJournal)
        try fm.createSymbolicLink(atPath: source.appendingPathComponent("journal.jsonl").path, withDestinationPath: realJournal.path)
        let before = try Data(contentsOf: realJournal)
        // A link leading out of the source is refused, named, and nothing is made (issue 25: a
        // link planted in a template folder copied whatever it reached, a private key included).
        let refusedStore = CLI.tempDir("refused").appendingPathComponent("store")
        let refused = try CLI.run(["init", "--from", source.path, "--demo-keys"], store: refusedStore, as: "alice")
        #expect(refused.code == 2 && refused.err.contains("journal.jsonl is a link to") && refused.err.contains("outside"), "\(refused.code) \(refused.err)")
        #expect(!fm.fileExists(atPath: refusedStore.path), "a store was half-made")
        // A link within the source is copied as the bytes it reaches, never as a link.
        try fm.removeItem(at: source.appendingPathComponent("journal.jsonl"))
        try fm.copyItem(at: realJournal, to: source.appendingPathComponent("journal.real"))
        try fm.createSymbolicLink(atPath: source.appendingPathComponent("journal.jsonl").path, withDestinationPath: "journal.real")
        let store = CLI.tempDir("copy").appendingPathComponent("store")
        let made = try CLI.run(["init", "--from", source.path, "--demo-keys"], store: store, as: "alice")
        #expect(made.code == 0, "\(made.err)")
        let attributes = try fm.attributesOfItem(atPath: store.appendingPathComponent("journal.jsonl").path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "x"], store: store, as: "alice").code == 0)
        #expect(try Data(contentsOf: source.appendingPathComponent("journal.real")) == before, "the new store wrote into the source's journal")
    }

    /// `init` into a folder that already holds someone's journal adopted it without a word.
    @Test func initNeverAdoptsAJournalItFinds() throws {
        let target = CLI.tempDir("occupied")
        let theirs = try Data(contentsOf: CLI.repoRoot.appendingPathComponent("sample-data/journal.jsonl"))
        try theirs.write(to: target.appendingPathComponent("journal.jsonl"))
        let r = try CLI.run(["init"], store: target, as: "alice")
        #expect(r.code == 2 && r.err.contains("journal.jsonl"), "\(r.code) \(r.err)")
        #expect(try Data(contentsOf: target.appendingPathComponent("journal.jsonl")) == theirs)
        #expect(!fm.fileExists(atPath: target.appendingPathComponent("rollout.yaml").path))
    }
}

@Suite struct ProbePathCLITests {
    /// Integrity finding 10: a probe path `../secret.yaml` read a file outside the store, and the
    /// YAML error copied the secret's content into the journal and the CSV export.
    @Test func aProbeReadsOnlyInsideTheStoreAndNeverQuotesAFile() throws {
        let store = try CLI.sampleStore()
        let secret = store.deletingLastPathComponent().appendingPathComponent("secret.yaml")
        try Data("api_token: SECRET-TOKEN-123\n  broken: [\n".utf8).write(to: secret)
        try CLI.replaceItems(in: store, with: """
        items:
          eval_slo.slo_defined:
            probe: {command: "builtin:openslo", args: [../secret.yaml]}

        """)
        let r = try CLI.run(["probe", "run", "eval_slo.slo_defined"], store: store, as: "alice")
        #expect(r.code == 1)
        #expect(r.out.contains("outside the store"), "\(r.out)")
        let journal = try String(contentsOf: store.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(!journal.contains("SECRET-TOKEN"))
        let csv = try CLI.run(["audit", "export", "--format", "csv"], store: store)
        #expect(!csv.out.contains("SECRET-TOKEN"))
    }

    /// Results that CI leaves outside the store are read only from folders the policy lists,
    /// and only once that policy is adopted; `..` cannot climb out of a listed folder.
    @Test func anAbsolutePathIsReadOnlyFromAFolderThePolicyAllows() throws {
        let store = try CLI.sampleStore()
        let ci = CLI.tempDir("ci-results")
        try FileManager.default.copyItem(at: store.appendingPathComponent("evidence/support-copilot-slos.yaml"), to: ci.appendingPathComponent("slos.yaml"))
        try CLI.replaceItems(in: store, with: """
        items:
          eval_slo.slo_defined:
            probe: {command: "builtin:openslo", args: [\(ci.path)/slos.yaml, support-copilot]}
          eval_slo.offline_evals:
            probe: {command: "builtin:openslo", args: [\(ci.path)/../secret.yaml]}

        """)
        let refused = try CLI.run(["probe", "run", "eval_slo.slo_defined"], store: store, as: "carol")
        #expect(refused.code == 1 && refused.out.contains("is outside the store"), "\(refused.out)")
        let policy = store.appendingPathComponent("policy.yaml")
        try (try String(contentsOf: policy, encoding: .utf8) + "  probes:\n    allowed_paths: [\(ci.path)]\n").write(to: policy, atomically: true, encoding: .utf8)
        let unadopted = try CLI.run(["probe", "run", "eval_slo.slo_defined"], store: store, as: "carol")
        #expect(unadopted.code == 1 && unadopted.err.contains("configuration changed outside the journal (policy.yaml edited)"), "\(unadopted.err)")
        #expect(try CLI.adopt(store, reason: "CI leaves SLO files in \(ci.path)").code == 0)
        let read = try CLI.run(["probe", "run", "eval_slo.slo_defined"], store: store, as: "carol")
        #expect(read.code == 0 && read.out.contains("passed"), "\(read.out) \(read.err)")
        let climbed = try CLI.run(["probe", "run", "eval_slo.offline_evals"], store: store, as: "dan")
        #expect(climbed.out.contains("is outside the store"), "\(climbed.out)")
        // A relative folder is a mistake the lint names where it is.
        try (try String(contentsOf: policy, encoding: .utf8).replacingOccurrences(of: "[\(ci.path)]", with: "[ci/results]"))
            .write(to: policy, atomically: true, encoding: .utf8)
        let lint = try CLI.run(["policy", "lint", policy.path])
        #expect(lint.code == 2 && lint.err.contains("'ci/results' is not an absolute folder"), "\(lint.err)")
    }

    @Test func aBrokenEvidenceFileInsideTheStoreIsLocatedNotQuoted() throws {
        let store = try CLI.sampleStore()
        try Data("api_token: SECRET-TOKEN-123\n  broken: [\n".utf8).write(to: store.appendingPathComponent("evidence/broken.yaml"))
        try CLI.replaceItems(in: store, with: """
        items:
          eval_slo.slo_defined:
            probe: {command: "builtin:openslo", args: [evidence/broken.yaml]}

        """)
        let r = try CLI.run(["probe", "run", "eval_slo.slo_defined"], store: store, as: "alice")
        #expect(r.code == 1 && r.out.contains("broken.yaml:"), "\(r.out)")
        let journal = try String(contentsOf: store.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(!journal.contains("SECRET-TOKEN"))
    }
}

@Suite struct LostRecordsCLITests {
    /// Keeps the first `keep` lines of the journal, cut at a line boundary or inside the next line.
    func cut(_ store: URL, keep: Int, partOfNext: Int = 0) throws {
        let url = store.appendingPathComponent("journal.jsonl")
        let lines = try Data(contentsOf: url).split(separator: 0x0a, omittingEmptySubsequences: false)
        var kept = Data(lines.prefix(keep).map { Data($0) + Data([0x0a]) }.joined())
        kept += Data(lines[keep].prefix(partOfNext))
        try kept.write(to: url)
    }

    /// Integrity finding 3: records dropped at a line boundary passed `status` and `audit verify`
    /// although state.json had seen them; the state was silently rebuilt shorter.
    @Test func recordsTheSnapshotHadSeenAreMissedAloud() throws {
        let store = try CLI.sampleStore()
        #expect(try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "seen"], store: store, as: "alice").code == 0)
        let seen = try Store(directory: store).loadState().state.seq
        try cut(store, keep: seen - 5)
        let status = try CLI.run(["status"], store: store)
        #expect(status.code == 2 && status.err.contains("…\(seen) are missing"), "\(status.err)")
        let verify = try CLI.run(["audit", "verify"], store: store)
        #expect(verify.code == 1 && verify.out.contains("state.json had seen seq \(seen)"), "\(verify.out)")
        #expect(try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "x"], store: store, as: "alice").code == 2)
    }

    /// Truncating the journal to half was "repaired" as one torn line while 53 records were gone.
    @Test func repairRefusesToPassOffALossAsATornLine() throws {
        let store = try CLI.sampleStore()
        #expect(try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "seen"], store: store, as: "alice").code == 0)
        let before = try Data(contentsOf: store.appendingPathComponent("journal.jsonl"))
        try cut(store, keep: 50, partOfNext: 40)
        let cutBytes = try Data(contentsOf: store.appendingPathComponent("journal.jsonl"))
        let repair = try CLI.run(["journal", "repair"], store: store, as: "alice")
        #expect(repair.code == 2 && repair.err.contains("are missing"), "\(repair.code) \(repair.out) \(repair.err)")
        #expect(try Data(contentsOf: store.appendingPathComponent("journal.jsonl")) == cutBytes, "repair changed the journal")
        #expect(before.count > cutBytes.count)
    }
}

@Suite struct TornBatchCLITests {
    /// Integrity finding 4: on a full disk a 3-record write tore inside session.ended; the command
    /// exited 2, yet after `journal repair` its item.set counted. A write is all or nothing.
    @Test func aWriteThatDidNotCompleteCountsForNothingAfterRepair() throws {
        let store = try CLI.sampleStore()
        let journal = store.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let snapshot = store.appendingPathComponent("state.json")
        let snapshotBefore = try? Data(contentsOf: snapshot)
        #expect(try CLI.run(["item", "eval_slo.offline_evals", "--pass", "--note", "green now"], store: store, as: "dan").code == 0)
        let after = try Data(contentsOf: journal)
        // Cut inside the write's last record (its session.ended): the item.set before it is complete.
        // A write that fails never gets to refresh state.json, so it is put back as it was.
        try after.prefix(after.count - 30).write(to: journal)
        if let snapshotBefore { try snapshotBefore.write(to: snapshot) } else { try? FileManager.default.removeItem(at: snapshot) }
        let status = try CLI.run(["status", "--json"], store: store)
        #expect(!status.out.contains("green now"))
        let gate = try CLI.run(["gate", "--no-record"], store: store)
        #expect(gate.out.contains("✗ require offline_eval_pass"), "the torn write's item.set counted: \(gate.out)")
        let refused = try CLI.run(["item", "runtime.happy_path", "--pass", "--note", "x"], store: store, as: "alice")
        #expect(refused.code == 2 && refused.err.contains("journal repair"), "\(refused.err)")
        let repair = try CLI.run(["journal", "repair"], store: store, as: "alice")
        #expect(repair.code == 0 && repair.out.contains("3 records"), "\(repair.out) \(repair.err)")
        let repaired = try Data(contentsOf: journal)
        #expect(repaired.prefix(before.count) == before, "repair removed more than the write that did not complete")
        #expect(try CLI.run(["audit", "verify"], store: store).code == 0)
        #expect(try CLI.run(["gate", "--no-record"], store: store).out.contains("✗ require offline_eval_pass"))
    }
}

#if !Postgres
/// Built without the Postgres trait (the default build): a `postgres://` store is refused with
/// how to build golive with it, and nothing is written.
@Suite struct NoPostgresTraitTests {
    @Test func aSharedStoreSaysHowToBuildGoliveWithIt() throws {
        for args in [["status"], ["store", "push", "/nonexistent", "postgres://u@127.0.0.1:1/db?rollout=r"]] {
            let r = try CLI.run(args + (args[0] == "status" ? ["--store", "postgres://u@127.0.0.1:1/db?rollout=r"] : []))
            #expect(r.code == 2 && r.err.contains("--traits Postgres"), "\(args): \(r.code) \(r.err)")
        }
    }
}
#endif
