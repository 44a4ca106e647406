import ArgumentParser
import Foundation
import GoLiveCore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Compare the configuration on disk with the one in force, and adopt it.",
        discussion: """
        rollout.yaml, the policy and the hook and probe scripts they name are the configuration. An edit takes effect only once adopted: until then the gate is NOT READY ("configuration changed outside the journal") and every command but hold and rollback is refused.

        Examples:
          golive config diff
          golive config adopt --as alice --reason "carol joins as sre"
        """,
        subcommands: [Diff.self, Adopt.self])

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
