import ArgumentParser
import Foundation
import GoLiveCore
import GoLivePostgres

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the seven contours, open blockers, capabilities and the gate in brief.").parsedOnItsOwn
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try storeOptions.openStore()
        let config = try store.loadConfig()
        // It shows every item: each decoded once, on both cores, before the gate and the contours ask.
        let loaded = try store.loadStateWhole(for: config)
        let r = Readiness(config: config, state: loaded.state, now: Date())
        let v = Gate.evaluate(r)
        if output.json {
            try printJSON(StatusJSON(r, v))
        } else {
            print(TextReports.status(r, v, store: store, loaded: loaded))
        }
    }
}

struct StatusJSON: Encodable {
    struct ContourJSON: Encodable {
        var contour: String, total: Int, satisfied: Int, failed: Int, open_blockers: Int, signoff: String
        /// What a sign-off binds to (`signoff --expect-contour`).
        var sha256: String
    }
    struct CapabilityJSON: Encodable { var name: String, production: Bool, missing: [String] }
    var rollout: String, version: String, seq: Int, ready: Bool
    var contours: [ContourJSON]
    var capabilities: [CapabilityJSON]
    var gate: GateVerdict
    var canary: CanaryJSON

    struct CanaryJSON: Encodable { var stage: String, label: String, exposure_pct: Double, cap_pct: Double, alerts: [String] }

    init(_ r: Readiness, _ v: GateVerdict) {
        rollout = r.config.name
        version = r.config.version
        seq = r.state.seq
        ready = v.ready
        contours = Contour.allCases.map { c in
            let s = r.summary(c)
            return ContourJSON(contour: c.rawValue, total: s.total, satisfied: s.satisfied, failed: s.failed,
                               open_blockers: s.openBlockers, signoff: s.signoff.rawValue, sha256: r.contourHash(c))
        }
        capabilities = r.config.capabilities.map { CapabilityJSON(name: $0.name, production: $0.isProductionCapability, missing: $0.missingFields.map(\.rawValue)) }
        gate = v
        let o = CanaryOverview(r)
        canary = CanaryJSON(stage: o.stage.rawValue, label: o.label, exposure_pct: o.exposurePct, cap_pct: o.capPct, alerts: o.alerts.map(\.text))
    }
}

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Ask the formal readiness gate. Exit 0 only when ready, 1 when not.",
        discussion: "Lists every unmet requirement and active block of the policy with the items and capabilities behind it, and the hashes of the policy and state the verdict was computed on.").parsedOnItsOwn
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @Flag(name: .long, help: "Do not journal that this verdict was shown (for read-only stores).") var noRecord = false

    func run() throws {
        let store = try storeOptions.openStore()
        let cockpit = storeOptions.cockpit(store, command: commandLine())
        let (verdict, readiness) = try cockpit.gate()
        if !noRecord {
            // The log shows what the operator was told; a store we cannot write still gets its answer.
            do { try cockpit.recordShown(verdict, surface: "cli", as: storeOptions.actor()) } catch {
                FileHandle.standardError.write(Data("golive: warning: the verdict was not journaled: \(CommandLineWording.describe(error))\n".utf8))
            }
        }
        let identity = readiness.configurationChange == nil ? readiness.config.identity : (try? store.loadConfigForLevers())?.identity
        if output.json { try printJSON(verdict) } else { print(TextReports.gate(verdict, readiness, identity: identity)) }
        if !verdict.ready { throw ExitCode(1) }
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Work with readiness policies.",
                                                    subcommands: [Lint.self, Conditions.self]).parsedOnItsOwn

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a policy file; errors name file:line:column and the nearest valid name.")
        @Argument(help: "The policy YAML file.") var file: String
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            var known = Set(DefaultCatalog.items.map(\.id))
            let store = Store(directory: storeOptions.storeURL)
            if store.exists, let config = try? store.loadConfig() { known.formUnion(config.catalog.map(\.id)) }
            let policy = try PolicyParser.parse(file: URL(fileURLWithPath: file), knownItems: known, displayName: file)
            if output.json {
                struct LintJSON: Encodable { var file: String, ok: Bool, require: [String], block_if: [String], steps: [Double], max_tenant_exposure_pct: Double, sha256: String }
                try printJSON(LintJSON(file: file, ok: true, require: policy.require, block_if: policy.blockIf, steps: policy.canary.steps,
                                       max_tenant_exposure_pct: policy.maxTenantExposurePct, sha256: policy.sha256))
            } else {
                let steps = policy.canary.steps.map { Format.percent($0) }.joined(separator: " → ")
                print("\(file): ok — \(policy.require.count) requirements, \(policy.blockIf.count) blocks, \(policy.customConditions.count) custom conditions; canary \(steps) (cap \(Format.percent(policy.maxTenantExposurePct))), \(policy.approvals.exposureIncrease) approvals per increase")
            }
        }
    }

    struct Conditions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the conditions a policy can name, with the items behind each.")
        func run() throws {
            for name in BuiltinConditions.requireNames + BuiltinConditions.blockNames {
                let c = BuiltinConditions.all[name]!
                let kind = c.polarity == .holdsWhenClean ? "require" : "block_if"
                var behind = c.itemIDs
                behind += c.capabilityFields.map { "capability field \($0.rawValue)" }
                if c.rules.contains(.capabilityDirectAccess) { behind.append("capabilities with direct_access: true") }
                print("\(TextReports.pad(name, 34)) [\(kind)] \(c.summary)\n\(String(repeating: " ", count: 35))from: \(behind.joined(separator: ", "))")
            }
        }
    }
}

/// One record's signature, taken out for OpenSSH: the exact bytes signed and the armored
/// signature, so `ssh-keygen -Y verify` checks it with no golive installed.
struct SignatureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signature",
        abstract: "Write one record's signed payload and its signature (armored) for `ssh-keygen -Y verify`; print the command that checks it.")
    @Argument(help: "The record's seq.") var seq: Int
    @Option(name: .long, help: ArgumentHelp("Where to write record-SEQ.payload and record-SEQ.sig (default: the current folder).", valueName: "dir")) var out: String = "."
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openStore(prefetch: false)
        guard let line = try store.recordLine(seq: seq) else { throw InputError("the journal holds no record with seq \(seq)") }
        guard let (prefix, base64) = Journal.signature(of: line) else { throw InputError("the record at seq \(seq) carries no signature") }
        guard Data(base64Encoded: base64) != nil else { throw InputError("the record at seq \(seq) carries a signature that is not base64") }
        let head = try EventDecoder.decode(Data(line))
        let folder = URL(fileURLWithPath: out)
        let payload = folder.appendingPathComponent("record-\(seq).payload"), sig = folder.appendingPathComponent("record-\(seq).sig")
        let wrapped = stride(from: 0, to: base64.count, by: 70).map { i -> String in
            let start = base64.index(base64.startIndex, offsetBy: i)
            return String(base64[start..<(base64.index(start, offsetBy: 70, limitedBy: base64.endIndex) ?? base64.endIndex)])
        }
        try Data(Journal.signedPayload(recordPrefix: prefix)).write(to: payload, options: .withoutOverwriting)
        try Data(("-----BEGIN SSH SIGNATURE-----\n" + wrapped.joined(separator: "\n") + "\n-----END SSH SIGNATURE-----\n").utf8).write(to: sig, options: .withoutOverwriting)
        print(safe("seq \(seq): \(head.kind.rawValue) by \(head.actor) at \(Timestamp.format(head.ts))"))
        print("wrote \(payload.path) and \(sig.path); check it with OpenSSH alone:")
        print("  golive team allowed-signers --history > allowed_signers    # or the auditor's own file")
        print(safe("  ssh-keygen -Y verify -f allowed_signers -I \(head.actor) -n \(Journal.signatureNamespace) -s \(sig.path) -O verify-time=\(GoLiveCore.AllowedSigners.stamp(head.ts.timeIntervalSince1970.rounded(.down))) < \(payload.path)"))
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Export, sign and verify the audit trail.", subcommands: [Export.self, Verify.self, SignatureCommand.self, CheckpointCommand.self, BundleCommand.self, Keygen.self]).parsedOnItsOwn

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the journal for machines (jsonl), people (md) or spreadsheets (csv). Streams; memory stays flat.",
            discussion: """
            Examples:
              golive audit export --format md --out report.md
              golive audit export --format jsonl --session s-1a2b3c4d5e6f7a8b --out session.jsonl --sign golive-audit.key
              golive audit export --format csv --since 2026-11-28 --until 2026-11-29T12:00:00Z
            """)
        @Option(name: .long, help: "jsonl, md or csv.") var format: String = "jsonl"
        @Option(name: .long, help: "Only this session's events.") var session: String?
        @Option(name: .long, help: "Only events at or after this time: a date, a timestamp, or a span back from now (7d, 12h).") var since: String?
        @Option(name: .long, help: "Only events at or before this time.") var until: String?
        @Option(name: .long, help: "Write to this file (else standard output).") var out: String?
        @Option(name: .long, help: "Sign with this private key (from `golive audit keygen`); writes OUT.sig.") var sign: String?
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            guard let fmt = ExportFormat(rawValue: format) else {
                throw InputError("unknown format '\(format)'; \(Suggest.didYouMean(format, in: ExportFormat.allCases.map(\.rawValue)))")
            }
            let store = try storeOptions.openStore(prefetch: false)
            let now = Date()
            // A bare date means the whole day: --since from its start, --until to its end.
            func time(_ t: String?, startOfDay: Bool) throws -> Date? {
                guard let t else { return nil }
                if let d = Timestamp.parse(t) { return d }
                let parsed = try Timestamp.parseUserTime(t, now: now)
                // For a report a span looks back: --since 7d is the last seven days.
                if let unit = t.last, "dhm".contains(unit) { return now.addingTimeInterval(-parsed.timeIntervalSince(now)) }
                return startOfDay && t.count == 10 ? parsed.addingTimeInterval(-86_399) : parsed
            }
            let filter = ExportFilter(session: session, since: try time(since, startOfDay: true), until: try time(until, startOfDay: false))
            if sign != nil && out == nil { throw InputError("--sign needs --out: the signature is written beside the export file") }
            let head = try store.tail().last?.hash ?? Journal.genesis
            if let out {
                let target = URL(fileURLWithPath: out)
                let n = try AuditExporter.export(store: store, format: fmt, filter: filter, toFile: target, now: now)
                FileHandle.standardError.write(Data("exported \(n) events to \(out)\n".utf8))
                if let sign {
                    let sig = try AuditSigning.sign(export: target, chainHead: head, keyFile: URL(fileURLWithPath: sign))
                    FileHandle.standardError.write(Data("signed: \(sig.path)\n".utf8))
                }
            } else {
                _ = try AuditExporter.export(store: store, format: fmt, filter: filter, to: ByteSink(fd: STDOUT_FILENO, path: "standard output"), now: now)
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a journal or a JSON Lines export: hashes, order, links; in a journal, each decision's signature against the roster in force at its record, and that it extends each --checkpoint; with --key, an export's signature. Exit 0 when intact; else 1, naming the first bad record. Reads only.")
        @Argument(help: "A journal or a jsonl export (default: the store's journal.jsonl).") var file: String?
        @Option(name: .long, help: "Also check FILE.sig against this public key.") var key: String?
        @Option(name: .customLong("allowed-signers"), help: ArgumentHelp("A journal's signatures are believed only where this OpenSSH allowed_signers file (yours, not the journal's roster) lets the key sign as the record's operator, in namespace golive, at the record's time.", valueName: "file"))
        var allowedSigners: String?
        @Option(name: .long, help: ArgumentHelp("The store directory (else $GOLIVE_STORE, else ./.golive).", valueName: "dir")) var store: String?
        @Option(name: .long, help: ArgumentHelp("Also prove the journal still extends this checkpoint (from `golive audit checkpoint`); repeatable.", valueName: "file"))
        var checkpoint: [String] = []
        @OptionGroup var output: OutputOptions

        var storeText: String { StoreOptions.storeText(store) }

        func run() throws {
            // A PostgreSQL store is verified as the server holds it, read afresh: not this machine's copy.
            if file == nil, PostgresAddress.isAddress(storeText) {
                #if !Postgres
                throw InputError(SharedStore.notBuilt)
                #else
                let address = try PostgresAddress(storeText)
                let journal = FileManager.default.temporaryDirectory.appendingPathComponent("golive-verify-\(Identity.randomHex(bytes: 6)).jsonl")
                defer { try? FileManager.default.removeItem(at: journal) }
                try RolloutTransfer.fetchJournal(address, to: journal)
                // This machine is a witness: what it saw the server hold must still be there.
                let witness = Store.witnessed(copy: address.copyFolder())
                let seen = witness.acknowledged.map { Checkpoint(rollout: "", seq: $0.seq, head: $0.hash, time: $0.at.flatMap(Timestamp.parse) ?? Date()) }
                if let why = try witness.divergence?.summary ?? seen?.problem(journal: journal).map({ "this machine's acknowledged head: \($0)" }) {
                    print("\(address.shown): FAILED: \(SafeText.sanitize(why))")
                    throw ExitCode(1)
                }
                // The roster for checkpoint signatures: the configuration this machine's copy adopted.
                // This machine's own checkpoint of what it saw committed is proved too.
                var verifying = self
                let kept = Store(directory: address.copyFolder()).witnessCheckpointURL.path
                if FileManager.default.fileExists(atPath: kept) { verifying.checkpoint.append(kept) }
                return try verifying.verify(storeURL: address.copyFolder(), journal: journal, shown: address.shown)
                #endif
            }
            try verify(storeURL: URL(fileURLWithPath: storeText))
        }

        func verify(storeURL: URL, journal: URL? = nil, shown: String? = nil) throws {
            let url = file.map { URL(fileURLWithPath: $0) } ?? journal ?? storeURL.appendingPathComponent("journal.jsonl")
            let shownName = shown ?? url.path
            guard FileManager.default.fileExists(atPath: url.path) else { throw InputError("\(url.path): no such file") }
            let isExport = ExportVerifier.isExport(url)
            if isExport && allowedSigners != nil {
                throw InputError("--allowed-signers checks a journal's records as they were signed; give the journal (the store's journal.jsonl), not an export")
            }
            // A journal's decisions: each signature against the roster in force at its record.
            var decisions: DecisionAudit?
            var refused: [RefusedRecord] = []
            // Who could sign when, for the checkpoints: the roster in force at each one's seq.
            var history = RosterHistory()
            var report: VerifyReport
            if isExport {
                report = try ExportVerifier.verify(fileAt: url)
                if report.ok { decisions = try DecisionAudit.check(export: url) }
            } else {
                // The same judge as every command: each record against the rules and the
                // configuration in force that wrote it. What it refuses, every command refuses
                // too. (Records a captain set aside later are no longer in question.) The chain
                // is checked in the same reading; what the judge found counts only if it stands.
                let anchors = try allowedSigners.map { path -> GoLiveCore.AllowedSigners in
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw InputError("\(path): cannot read the allowed signers file") }
                    return try GoLiveCore.AllowedSigners(text: text, file: path)
                }
                var audit = DecisionAudit()
                var outside: (seq: Int, message: String)?
                let judged = try Store.judgedRebuildAndChain(of: url) { e, signer in
                    audit.count(e, signer: signer)
                    history.observe(e)
                    if let anchors, let signer, outside == nil, !anchors.allows(principal: e.actor, key: signer, at: e.ts) {
                        outside = (e.seq, "\(e.kind.rawValue) by \(e.actor) at \(Timestamp.format(e.ts)) is signed with \(signer.fingerprint), which \(allowedSigners ?? "") does not allow to sign as \(e.actor) then")
                    }
                }
                report = file == nil && journal == nil ? Store(directory: storeURL).checkedAgainstSnapshot(judged.chain) : judged.chain
                if report.ok {
                    refused = judged.state.refused
                    if let outside { report.problem = .init(line: outside.seq, message: "signer not allowed: \(outside.message)") }
                    audit.identity = judged.state.adoptedConfig.flatMap { RolloutConfigParser.inForceMemo($0.sha256)?.identity }
                    decisions = audit
                } else {
                    history = RosterHistory()
                }
            }
            if let audit = decisions {
                if report.problem != nil {
                    // An auditor's own anchor said no first.
                } else if let first = refused.first {
                    report.problem = .init(line: first.seq, message: "refused by the judge: \(first.summary)\(refused.count > 1 ? " (and \(refused.count - 1) more)" : "")")
                } else if isExport, let p = audit.problem {
                    // An export's records are judged for their signatures only (a filtered one is no chain to fold).
                    report.problem = p
                }
            }
            var checkpoints: [String] = []
            for file in checkpoint {
                guard let data = FileManager.default.contents(atPath: file) else { throw InputError("\(file): no such checkpoint file") }
                let cp: Checkpoint
                do { cp = try JSONCoding.decoder().decode(Checkpoint.self, from: data) } catch {
                    throw InputError("\(file): not a golive checkpoint (\(error))")
                }
                if let problem = try cp.problem(journal: url) {
                    if report.problem == nil { report.problem = .init(line: cp.seq, message: "checkpoint \(file): \(problem)") }
                } else if let team = history.roster(at: cp.seq)?.team ?? (try? Store(directory: storeURL).loadConfig())?.team,
                          let problem = cp.signatureProblem(team: team) {
                    if report.problem == nil { report.problem = .init(line: cp.seq, message: "checkpoint \(file): \(problem)") }
                } else {
                    checkpoints.append("extends checkpoint seq \(cp.seq)\(cp.signer.map { " signed by \($0)" } ?? "")")
                }
            }
            var signature = "not checked"
            var authenticated = false
            if let key {
                if let problem = try AuditSigning.check(export: url, publicKeyFile: URL(fileURLWithPath: key)) {
                    signature = "BAD: \(problem)"
                    if report.problem == nil { report.problem = .init(line: 0, message: "signature: \(problem)") }
                } else {
                    signature = "good (ed25519)"
                    authenticated = true
                }
            }
            if output.json {
                struct J: Encodable {
                    var file: String, kind: String, ok: Bool, authenticated: Bool, records: Int, head: String, bad_line: Int?, problem: String?, signature: String
                    var identity: String?, signed_decisions: Int?, signing_keys: [String: String]?, checkpoints: [String]
                    var refused: [RefusedRecord]
                    var not_judged: String?
                }
                try printJSON(J(file: shownName, kind: isExport ? "export" : "journal", ok: report.ok, authenticated: authenticated, records: report.lines,
                                head: report.head, bad_line: report.problem?.line, problem: report.problem?.message, signature: signature,
                                identity: decisions?.identity?.rawValue, signed_decisions: decisions?.signedDecisions, signing_keys: decisions?.keys,
                                checkpoints: checkpoints, refused: refused, not_judged: isExport ? Audit.exportNotJudged : nil))
            } else if let p = report.problem {
                print("\(shownName):\(p.line): FAILED — \(safe(p.message))")
                for r in refused.dropFirst().prefix(20) { print("  also refused: \(safe(r.summary))") }
                print("  \(report.lines) record(s) read before it; nothing was changed")
            } else {
                // Hashes prove consistency, not origin: whoever can write the file can write a consistent one.
                let what = isExport ? "export intact" : "chain intact"
                let origin = authenticated ? ", signature \(signature)"
                    : decisions?.identity == .signed && !isExport
                    ? (checkpoints.isEmpty ? "; decisions signed, but its head is vouched for by no checkpoint (a cut tail or a history rewritten before the last signature would pass; use --checkpoint)" : "")
                    : " but not authenticated (no signature checked: anyone who can write the file can make a consistent one; use --key)"
                print("\(shownName): ok — \(report.lines) records, \(what)\(origin), head \(report.head)")
                if let decisions { print("  decisions: \(safe(decisions.summary))") }
                if isExport { print("  not judged: \(Audit.exportNotJudged)") }
                for line in checkpoints { print("  \(line)") }
            }
            if !report.ok { throw ExitCode(1) }
        }
    }

    /// What verifying an export cannot say, in words: its records are not the journal's chain
    /// from the first, so the rules that rest on the records before each one are not judged.
    static let exportNotJudged = "roles, policy limits, canary moves and clock order (they rest on every record before each one, which an export does not hold); its hashes, links and signatures, against the adoptions it carries, are checked. Run `golive audit verify` on the journal for the judge's whole pass"

    struct CheckpointCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Write a checkpoint of the journal's head (rollout, seq, head hash, time), signed with your key in a signed rollout. Keep it outside the store; `audit verify --checkpoint FILE` proves the journal still extends it.")
        @Option(name: .long, help: "Where to write it (default: print it).") var out: String?
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            let config = try store.loadConfig()
            guard let last = try store.tail().last else { throw InputError("the journal is empty: nothing to vouch for") }
            let cp = try storeOptions.checkpoint(of: last, config: config, store: store).get()
            let data = try JSONCoding.encoder(pretty: true).encode(cp) + Data("\n".utf8)
            if let out {
                try DurableFile.write(data, to: URL(fileURLWithPath: out))
                print("checkpoint: \(config.name) seq \(cp.seq) head \(cp.head.prefix(16))…\(cp.signer.map { ", signed by \($0)" } ?? " (unsigned: identity: names)") → \(out)")
            } else {
                print(String(decoding: data, as: UTF8.self), terminator: "")
            }
        }
    }

    struct BundleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bundle",
            abstract: "Write a proof bundle an auditor checks without GoLive: the records, the rosters in force (also as allowed_signers), checkpoints, each signed record's payload and signature, and verify.py (Python's standard library and ssh-keygen).")
        @Option(name: .long, help: "The folder to write; it must not exist.") var out: String
        @Option(name: .long, help: ArgumentHelp("A checkpoint file to carry (repeatable).", valueName: "file")) var checkpoint: [String] = []
        @Flag(name: .long, help: "Add no checkpoint of the head (by default one is made, signed with your key in a signed rollout).") var noHeadCheckpoint = false
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            let config = try store.loadConfig()
            var note: String?
            let written = try ProofBundle.write(journal: store.journalURL, to: URL(fileURLWithPath: out), checkpoints: checkpoint.map { URL(fileURLWithPath: $0) }) { last in
                // An unsigned checkpoint inside the bundle would vouch for nothing: only a signed one is added.
                guard !noHeadCheckpoint, config.identity == .signed else { return nil }
                switch storeOptions.checkpoint(of: last, config: config, store: store) {
                case let .success(cp): return cp
                case let .failure(why):
                    note = "no checkpoint of the head: \(why.reason)"
                    return nil
                }
            }
            print("bundle: \(safe(out)) — \(written.records) records, \(written.adoptions) adoption(s), \(written.signed) signed record(s), \(written.checkpoints) checkpoint(s)")
            if let note { print("  \(safe(note))") }
            if let first = written.refused.first {
                print("  warning: GoLive's judge refuses \(written.refused.count) record(s), the first at seq \(first.seq) (\(safe(first.summary))); `golive audit verify` says why")
            }
            print("  check it without GoLive: python3 \(safe(out))/verify.py")
        }
    }

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an Ed25519 key pair for signing exports: PREFIX.key (keep it private) and PREFIX.pub (give it to auditors).")
        @Option(name: .long, help: "Path prefix of the two files.") var out = "golive-audit"
        func run() throws {
            let (priv, pub) = try AuditSigning.keygen(prefix: URL(fileURLWithPath: out))
            print("private key: \(priv.path) (mode 0600)\npublic key:  \(pub.path)")
        }
    }
}

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "journal", abstract: "Maintain the journal.", subcommands: [Repair.self, SetAsideCommand.self]).parsedOnItsOwn

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set aside a torn last line (left by a crash) into a side file, so writing can resume.")
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            if let r = try storeOptions.cockpit(store, command: commandLine()).repairJournal(as: storeOptions.actor()) {
                print("set aside the write that did not complete: \(r.records) records from seq \(r.line) (\(r.bytes) bytes\(r.cut ? ", the last one cut" : "")) in \(store.directory.path)/\(r.savedTo); the journal ends at the last write that completed")
            } else {
                print("nothing to repair: the journal ends with a complete line")
            }
        }
    }

    struct SetAsideCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-aside",
            abstract: "Set aside the records the judge refused (a captain, signed): they move to a side file and the store is trusted again.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Why they may be set aside (journaled).") var reason: String

        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            guard let done = try storeOptions.cockpit(store, command: commandLine()).setAsideRefused(reason: reason, as: storeOptions.actor()) else {
                print("nothing to set aside: every record in the journal was accepted")
                return
            }
            print("set aside \(done.records.count) refused record(s) in \(store.directory.path)/\(SafeText.sanitize(done.file)):")
            for r in done.records { print("  " + SafeText.sanitize(r.summary)) }
        }
    }
}
