import ArgumentParser
import Foundation
import GoLiveCore
import GoLivePostgres

struct ItemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item",
        abstract: "Show an item, or mark it passed / failed / not applicable, or add evidence.",
        discussion: """
        Examples:
          golive item observability.key_spans                         show the item
          golive item observability.key_spans --pass --note "spans for plan, tool, policy"
          golive item eval_slo.offline_evals --fail --note "2 cases fail" --evidence https://ci/run/81
          golive item runtime.foreground_background_separated --na --note "no background actions"
          golive item operations.runbook --note "draft reviewed"        add evidence only
        """).parsedOnItsOwn
    @Argument(help: "The item id, e.g. observability.trace_id.") var id: String
    @Flag(name: .long, help: "Mark the item passed.") var pass = false
    @Flag(name: .long, help: "Mark the item failed.") var fail = false
    @Flag(name: .long, help: "Mark the item not applicable (needs --note with the reason).") var na = false
    @Option(name: .long, help: "A note: what was checked, or why.") var note: String?
    @Option(name: .long, help: "A link to evidence (CI run, dashboard, document).") var evidence: String?
    @OptionGroup var expectRevision: ExpectRevisionOption
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if [pass, fail, na].filter({ $0 }).count > 1 { throw ValidationError("choose one of --pass, --fail, --na") }
    }

    func run() throws {
        let store = try storeOptions.openStore()
        let cockpit = storeOptions.cockpit(store, command: commandLine())
        let status: ItemStatus? = pass ? .passed : fail ? .failed : na ? .not_applicable : nil
        let expecting = expectRevision.seen
        var outcome: Cockpit.Outcome?
        if let status {
            outcome = try cockpit.perform(.setItem(id: id, status: status, note: note ?? "", evidenceURL: evidence), as: storeOptions.actor(), expecting: expecting)
        } else if note != nil || evidence != nil {
            outcome = try cockpit.perform(.addEvidence(id: id, text: note ?? "", url: evidence), as: storeOptions.actor(), expecting: expecting)
        }
        reportConsequences(outcome)
        // The item as the configuration the write was decided under defines it (an unknown id
        // was refused by the core before anything was written).
        let r = try outcome?.readiness ?? cockpit.readiness()
        let def = try r.config.requireItem(id)
        if output.json {
            struct J: Encodable { var id: String, title: String, severity: String, owner: String, status: String, standing: String, detail: String, state: ItemState }
            let a = r.assess(def)
            try printJSON(J(id: id, title: def.title, severity: def.severity.rawValue, owner: def.owner, status: a.status.rawValue,
                            standing: a.standing.rawValue, detail: a.detail, state: r.state.item(id)))
        } else {
            print(TextReports.item(def, r))
        }
    }
}

struct Waive: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "waive",
        abstract: "Waive an item with a reason and an expiry. Blockers only where the policy allows it.",
        discussion: "Example: golive waive operations.runbook --reason \"runbook review on Monday\" --expires 2026-12-05").parsedOnItsOwn
    @Argument(help: "The item id.") var id: String
    @Option(name: .long, help: "Why the item may be waived.") var reason: String
    @Option(name: .long, help: "When the waiver ends: a date (2026-12-31), a timestamp, or a span (7d, 12h).") var expires: String
    @OptionGroup var expectRevision: ExpectRevisionOption
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openStore()
        let when = try Timestamp.parseUserTime(expires, now: Date())
        let expecting = expectRevision.seen
        reportConsequences(try storeOptions.cockpit(store, command: commandLine()).perform(.waive(id: id, reason: reason, expires: when), as: storeOptions.actor(), expecting: expecting))
        print("waived \(id) until \(Timestamp.format(when))")
    }
}

struct SignOffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signoff",
        abstract: "Sign off a contour in one of your roles. Goes stale if any item of the contour changes afterwards.",
        discussion: "Example: golive signoff safety --role safety --note \"red-team report reviewed\"").parsedOnItsOwn
    @Argument(help: "The contour: runtime, safety, capabilities, observability, eval_slo, operations, ownership.") var contour: String
    @Option(name: .long, help: "The role you sign in.") var role: String
    @Option(name: .long, help: "A note for the record.") var note: String?
    @Option(name: .customLong("expect-contour"), help: ArgumentHelp("Act only if the contour's digest still starts with this (12 or more hex digits; `status --json` shows each contour's sha256); else refused with what changed.", valueName: "sha256"))
    var expectContour: String?
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if let expectContour, expectContour.count < 12 || !expectContour.allSatisfy(\.isHexDigit) {
            throw ValidationError("--expect-contour needs at least 12 hex digits of the contour's sha256 (status --json); got '\(expectContour)'")
        }
    }

    func run() throws {
        let c = try Contour.named(contour)
        let store = try storeOptions.openStore()
        let actor = storeOptions.actor()
        let expecting = expectContour.map { SeenState(contourHash: $0.lowercased()) }
        let outcome = try storeOptions.cockpit(store, command: commandLine()).perform(.signOff(contour: c, role: role, note: note ?? ""), as: actor, expecting: expecting)
        reportConsequences(outcome)
        print("signed off \(c.rawValue) as \(actor.operatorID) (\(role)), bound to the contour at sha256 \(outcome.readiness.contourHash(c).prefix(12))")
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init",
        abstract: "Create a store: from a directory (rollout.yaml, policy, journal) or a fresh one with the default catalog and the chapter's policy.").parsedOnItsOwn
    @Option(name: .long, help: "Copy rollout.yaml, the policy and any journal from this directory.") var from: String?
    @Option(name: .long, help: "The rollout's name for a fresh store.") var name = "my-agent"
    @Flag(name: .customLong("demo-keys"), help: "With --from: copy its demo-keys/ too (the sample's published private keys; never for a real rollout).")
    var demoKeys = false
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        if PostgresAddress.isAddress(storeOptions.storeText) {
            throw InputError("golive init makes a folder store; to share a rollout through PostgreSQL, create it in a folder, then `golive store push DIR \(PostgresAddress.masked(storeOptions.storeText))`. Nothing was written")
        }
        let target = storeOptions.storeURL
        let found = from == nil ? captainKey() : nil
        let store = try StoreSetup.create(at: target, from: from.map { URL(fileURLWithPath: $0) }, name: name, actor: storeOptions.actor(),
                                          captainKey: found?.key, withDemoKeys: demoKeys, signer: initSigner)
        let r = try Cockpit(store: store).readiness()
        print("created \(store.directory.path): \(r.config.name) \(r.config.version), \(r.config.catalog.count) items, \(r.config.capabilities.count) capabilities, \(r.config.team.count) operators, journal at seq \(r.state.seq)")
        if let found {
            print("identity: signed — \(storeOptions.actor().operatorID) signs with \(found.key.fingerprint) (\(found.source))")
        } else if from == nil {
            print("identity: names (UNSIGNED) — no SSH key found (--key, $GOLIVE_SIGNING_KEY, ssh-agent, ~/.ssh/id_ed25519.pub); see rollout.yaml")
        }
    }

    /// The creating operator's key in the configuration being created, to sign its first adoption.
    func initSigner(_ config: RolloutConfig, _ store: URL) -> Store.Seal? {
        guard case let .success(key) = DecisionSigner.fromEnvironment(keyFile: storeOptions.signingKey, notice: tellPerson).key(for: storeOptions.actor().operatorID, config: config, store: store) else { return nil }
        return Store.Seal(rollout: config.name, key: key.publicKey, unattended: key.unattended) { prefix in try key.sign(Journal.signedPayload(recordPrefix: prefix)).base64 }
    }

    /// The creating operator's public key: from --key or GOLIVE_SIGNING_KEY, the agent, or ~/.ssh.
    func captainKey() -> (key: SSHPublicKey, source: String)? {
        let signer = DecisionSigner.fromEnvironment(keyFile: storeOptions.signingKey)
        if let file = signer.keyFile, let key = try? SSHKeyFile(path: file) { return (key.publicKey, file) }
        if let agent = signer.agent, let key = try? agent.identities().first { return (key, "ssh-agent") }
        for file in signer.defaultKeys.map({ $0 + ".pub" }) {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let key = try? SSHPublicKey(line: text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return (key, file)
            }
        }
        return nil
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Open the cockpit on a fresh copy of the sample rollout (a customer-support agent platform).").parsedOnItsOwn
    @Flag(name: .long, help: "Print the status and exit instead of opening the cockpit.") var print = false
    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this team member of the sample (alice, bob, carol, dan, erin).", valueName: "operator"))
    var actingAs: String?
    @OptionGroup var cockpit: CockpitOptions

    func run() throws {
        let sample = try SampleData.locate()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golive-demo-\(Identity.randomHex(bytes: 4))")
        // The sample's captain acts unless told otherwise, so the demo can do everything a captain can.
        let actor = StoreOptions.actor(actingAs: actingAs ?? SystemCall.environmentVariable("GOLIVE_OPERATOR") ?? "alice")
        let store = try StoreSetup.create(at: dir, from: sample, name: "", actor: actor, withDemoKeys: true)
        if print || isatty(STDOUT_FILENO) == 0 {
            Swift.print("demo store: \(store.directory.path)  (use --store \(store.directory.path) with other commands)")
            let config = try store.loadConfig()
            let loaded = try store.loadState()
            let r = Readiness(config: config, state: loaded.state, now: Date())
            Swift.print(TextReports.status(r, Gate.evaluate(r), store: store, loaded: loaded))
            return
        }
        try cockpit.run(store: store, actor: actor, greeting: "demo store: \(store.directory.path) — other commands take --store \(store.directory.path)")
        Swift.print("demo store kept at \(store.directory.path)")
    }
}

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Run automated checks attached to items in rollout.yaml.", subcommands: [Run.self]).parsedOnItsOwn

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run probes and record each outcome as the item's status, with the output's SHA-256 as evidence.",
            discussion: "A probe that cannot run (missing command, timeout) is recorded as failed. Exit 1 when any probe did not pass.")
        @Argument(help: "Item ids whose probes to run.") var ids: [String] = []
        @Flag(name: .long, help: "Run every probe.") var all = false
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore()
            let config = try store.loadConfig()
            let withProbes = config.catalog.filter { $0.probe != nil }
            let chosen: [ItemDefinition]
            if all || ids.isEmpty {
                guard all else { throw InputError("name item ids or pass --all (items with probes: \(withProbes.map(\.id).joined(separator: ", ")))") }
                chosen = withProbes
            } else {
                chosen = try ids.map { id in
                    let item = try config.requireItem(id)
                    guard item.probe != nil else { throw InputError("\(id) has no probe in rollout.yaml") }
                    return item
                }
            }
            let cockpit = storeOptions.cockpit(store, command: commandLine())
            var anyBad = false
            for item in chosen {
                FileHandle.standardError.write(Data("running \(item.id)…\n".utf8))
                let (outcome, _) = try cockpit.runProbe(id: item.id, as: storeOptions.actor())
                anyBad = anyBad || outcome.result != .passed
                print("\(TextReports.pad(item.id, 40)) \(TextReports.pad(outcome.result.rawValue, 14)) \(String(format: "%5.1fs", outcome.seconds))  \(safe(outcome.summary))")
            }
            if anyBad { throw ExitCode(1) }
        }
    }
}
