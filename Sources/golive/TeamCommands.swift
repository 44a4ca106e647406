import ArgumentParser
import Foundation
import GoLiveCore

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "The operators of rollout.yaml and their keys.",
                                                    subcommands: [AllowedSigners.self])

    struct AllowedSigners: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allowed-signers",
            abstract: "Print the roster as an OpenSSH allowed_signers file (principal = operator id, namespace golive).",
            discussion: "With it, `ssh-keygen -Y verify -f allowed_signers -I bob -n golive -s SIG < PAYLOAD` checks a GoLive signature without GoLive.")
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let config = try storeOptions.openStore(prefetch: false).loadConfig()
            for member in config.team {
                for key in member.keys { print("\(member.id) namespaces=\"\(Journal.signatureNamespace)\" \(key.line)\(key.comment.isEmpty ? "" : " \(safe(key.comment))")") }
            }
        }
    }
}
