import ArgumentParser
import Foundation
import GoLiveCore

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "The operators of rollout.yaml and their keys.",
                                                    subcommands: [AllowedSigners.self])

    struct AllowedSigners: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allowed-signers",
            abstract: "Print the roster the journal proves as an OpenSSH allowed_signers file (principal = operator id, namespace golive).",
            discussion: """
            The roster is the adopted configuration's, never rollout.yaml on disk: a key added there and not adopted is not in it. \
            --at SEQ prints the roster in force at that record; --history every key with valid-after and valid-before from the \
            adoptions that added and dropped it, for `ssh-keygen -Y verify -O verify-time=…` (see `golive audit signature`).
            """)
        @Option(name: .long, help: ArgumentHelp("The roster in force at this record instead of now.", valueName: "seq")) var at: Int?
        @Flag(name: .long, help: "Every key that ever could sign, each with the times it could.") var history = false
        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            if at != nil && history { throw ValidationError("--at and --history are different questions; ask one") }
            if let at, at < 1 { throw ValidationError("--at takes a record's seq (1 or more); got \(at)") }
        }

        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            var roster = RosterHistory()
            _ = try Store.judgedRebuild(of: store.journalURL) { e, _ in roster.observe(e) }
            if history {
                for g in roster.grants {
                    print(GoLiveCore.AllowedSigners.line(principal: g.principal, key: g.key, validAfter: g.validAfter, validBefore: g.validBefore))
                }
                return
            }
            guard let adoption = roster.roster(at: at ?? Int.max) else {
                throw InputError(at.map { "no configuration was adopted at or before seq \($0)" } ?? "no configuration has been adopted into the journal: there is no roster yet")
            }
            if at == nil, let disk = try? store.loadConfig(), disk.team.map({ "\($0.id) \($0.keys.map(\.line))" }) != adoption.team.map({ "\($0.id) \($0.keys.map(\.line))" }) {
                FileHandle.standardError.write(Data("golive: warning: the team in rollout.yaml on disk differs from the roster adopted at seq \(adoption.seq); this is the adopted roster (a captain adopts the change with `golive config adopt`)\n".utf8))
            }
            for member in adoption.team {
                for key in member.keys { print(GoLiveCore.AllowedSigners.line(principal: member.id, key: key)) }
            }
        }
    }
}
