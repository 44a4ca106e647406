import ArgumentParser
import Foundation
import GoLiveCore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Compare the configuration on disk with the one in force, and adopt it.",
        discussion: """
        rollout.yaml, the policy and the hook and probe scripts they name are the configuration. An edit takes effect only once adopted: until then the gate is NOT READY ("configuration changed outside the journal") and every command but hold and rollback is refused.

        A change that loosens what the canary rests on (a higher cap or step, fewer approvals, a shorter shadow, a requirement, block, sign-off or blocker removed, a member, key or role added, identity: names, a changed hook) needs as many distinct people as an exposure increase: a captain proposes it, the others approve it after reading its diff, then a captain adopts it. Tightening needs one captain.

        Examples:
          golive config diff
          golive config adopt --as alice --reason "carol joins as sre"
          golive config propose --as alice --reason "steps 1, 2, 5"
          golive config approve --as bob --reason "agreed in the release call"
        """,
        subcommands: [Diff.self, Adopt.self, Propose.self, Approve.self]).parsedOnItsOwn

    struct Propose: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a loosening configuration on disk to the team: its texts go into the journal for others to approve (captain role).")
        @Option(name: .long, help: "What changes and why.") var reason: String
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore()
            let cockpit = storeOptions.cockpit(store, command: commandLine())
            let outcome = try cockpit.proposeConfiguration(reason: reason, as: storeOptions.actor())
            guard let proposal = outcome.state.configApprovals.last(where: \.proposal) else { return }
            let needed = outcome.readiness.config.policy.approvals.exposureIncrease
            print(safe("Proposed configuration \(proposal.digest.prefix(12)) at seq \(proposal.seq); it loosens:"))
            for change in outcome.events.last(where: { $0.kind == .configProposed })?.data.note?.components(separatedBy: "; ") ?? [] { print(safe("  · \(change)")) }
            print("It takes \(needed) distinct people in approving roles, you among them: the others run `golive config approve`, then a captain runs `golive config adopt`.")
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the proposed configuration's diff and what it loosens, then approve it, bound to what was shown.")
        @Option(name: .long, help: "Why you agree.") var reason: String
        @Option(name: .customLong("expect"), help: ArgumentHelp("Approve only the proposal whose digest starts with this (12 or more hex digits).", valueName: "sha256"))
        var expect: String?
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore()
            let cockpit = storeOptions.cockpit(store, command: commandLine())
            guard let pending = try cockpit.pendingProposal() else { throw Refusal("there is no proposed configuration to approve") }
            print(safe("Proposal \(pending.approval.digest.prefix(12)) by \(pending.approval.by) at seq \(pending.approval.seq). It loosens:"))
            for change in pending.changes { print(safe("  · \(change)")) }
            for entry in pending.diff.entries {
                print(safe("  \(entry.path) (\(entry.change.rawValue))"))
                entry.lines.forEach { print("    " + safe($0)) }
            }
            let digest = expect ?? String(pending.approval.digest)
            _ = try cockpit.approveConfiguration(digest: digest, reason: reason, as: storeOptions.actor())
            print(safe("Approved \(pending.approval.digest.prefix(12)) as \(storeOptions.actor().operatorID); a captain adopts it once enough people have (`golive config adopt`)."))
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed since the configuration was adopted. Exit 0 when nothing did, 1 when something did.")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let store = try storeOptions.openStore()
            let (diff, adopted, loadError) = try Cockpit(store: store).configurationDiff()
            if output.json {
                struct EntryJSON: Encodable { var path: String, change: String, diff: [String], note: String? }
                struct DiffJSON: Encodable { var changed: Bool, adopted_seq: Int?, adopted_by: String?, adopted_sha256: String?, load_error: String?, files: [EntryJSON] }
                try printJSON(DiffJSON(changed: !diff.isEmpty || adopted == nil, adopted_seq: adopted?.seq, adopted_by: adopted?.by,
                                       adopted_sha256: adopted?.sha256, load_error: loadError.map(ErrorReport.describe),
                                       files: diff.entries.map { EntryJSON(path: $0.path, change: $0.change.rawValue, diff: $0.lines, note: $0.note) }))
            } else {
                print(text(diff, adopted, loadError))
            }
            if !diff.isEmpty || adopted == nil { throw ExitCode(1) }
        }

        func text(_ diff: ConfigDiff, _ adopted: AdoptedConfig?, _ loadError: Error?) -> String {
            guard let adopted else {
                return "No configuration has been adopted into this store's journal; a captain adopts the files on disk with `golive config adopt --reason …`."
            }
            var out = ["Adopted at seq \(adopted.seq) by \(safe(adopted.by)), \(Timestamp.short(adopted.at)) (configuration \(adopted.sha256.prefix(12)))."]
            if let loadError { out.append("The configuration on disk does not load: \(safe(ErrorReport.describe(loadError)))") }
            if diff.isEmpty {
                out.append("The files on disk are the ones adopted.")
                return out.joined(separator: "\n")
            }
            for entry in diff.entries {
                out.append("\(entry.change == .unchanged ? " " : "*") \(safe(entry.path)): \(entry.change.rawValue)\(entry.note.map { " — \(safe($0))" } ?? "")")
                out += entry.lines.map { "    " + safe($0) }
            }
            out.append("Adopt with `golive config adopt --reason …` (captain role in the configuration in force).")
            return out.joined(separator: "\n")
        }
    }

    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the configuration on disk as the one in force (captain role in the current one).",
            discussion: "The record holds the files' texts and hashes, who adopted them and why. Approvals given under the previous configuration lapse; sign-offs go stale where a contour's items changed.")
        @Option(name: .long, help: "What changed and why.") var reason: String
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore()
            let cockpit = storeOptions.cockpit(store, command: commandLine())
            guard let outcome = try cockpit.adoptConfiguration(reason: reason, as: storeOptions.actor()) else {
                let seq = try store.loadState().state.adoptedConfig?.seq ?? 0
                print("Nothing to adopt: the files on disk are the configuration adopted at seq \(seq).")
                return
            }
            reportConsequences(outcome)
            let adopted = outcome.state.adoptedConfig
            print("Adopted configuration \(adopted?.sha256.prefix(12) ?? "?") at seq \(adopted?.seq ?? 0): \(adopted?.files.keys.sorted().joined(separator: ", ") ?? "")")
            if outcome.events.contains(where: { $0.kind == .canaryHeld }) {
                print("The canary was held: under this configuration the gate is not ready for its stage.")
            }
        }
    }
}
