import ArgumentParser
import Foundation
import GoLiveCore

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "The operators of rollout.yaml and their keys.",
                                                    subcommands: [AllowedSigners.self, Add.self, Remove.self]).parsedOnItsOwn

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a teammate to rollout.yaml with their roles and SSH key; it counts once adopted (a new member loosens: propose, approve, adopt).",
            discussion: "Example: golive team add carol --role sre --public-key ~carol/.ssh/id_ed25519.pub")
        @Argument(help: "The operator id (what --as names).") var id: String
        @Option(name: .long, help: "A role; repeat for several.") var role: [String] = []
        @Option(name: .customLong("public-key"), help: ArgumentHelp("Their public key: a .pub file or the 'ssh-ed25519 AAAA… comment' line; repeat for several.", valueName: "key")) var publicKey: [String] = []
        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            guard !role.isEmpty else { throw ValidationError("give at least one --role (captain, safety, sre, eval …)") }
        }

        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            let keys = try publicKey.map { text -> SSHPublicKey in
                let line: String
                if text.hasPrefix("ssh-") { line = text } else {
                    guard let bytes = SystemCall.readRegularFile(text, limit: 64 << 10)?.bytes else { throw InputError("\(text): cannot read a public key file there") }
                    line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                }
                do { return try SSHPublicKey(line: line) } catch { throw InputError("\(text): \(error)") }
            }
            if (try? store.loadConfig())?.member(id) != nil { throw InputError("'\(id)' is already in the team of rollout.yaml") }
            try TeamEdit.apply({ try TeamEdit.adding(Operator(id: id, name: id, roles: role, keys: keys), to: $0) }, store: store)
            print(safe("added \(id) (\(role.joined(separator: ", "))\(keys.isEmpty ? "" : ", key \(keys.map(\.fingerprint).joined(separator: ", "))")) to rollout.yaml"))
            print("It counts once adopted (`golive config diff`, `golive config adopt`). A new member loosens the roster: once the team in force has as many approving people as an exposure increase needs, that takes `golive config propose` and another person's `golive config approve` first.")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a teammate from rollout.yaml; it counts once adopted (a captain alone may adopt a removal).")
        @Argument(help: "The operator id.") var id: String
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.openStore(prefetch: false)
            try TeamEdit.apply({ try TeamEdit.removing(id, from: $0) }, store: store)
            print(safe("removed \(id) from rollout.yaml; it counts once a captain adopts it (`golive config adopt --reason …`)"))
        }
    }

    struct AllowedSigners: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allowed-signers",
            abstract: "Print the roster the journal proves as an OpenSSH allowed_signers file (principal = operator id, namespace golive).",
            discussion: """
            The roster is the adopted configuration's, never rollout.yaml on disk: a key added there and not adopted is not in it. \
            --at SEQ prints the roster in force at that record; --history every key with valid-after and valid-before from the \
            adoptions that added and dropped it, for `ssh-keygen -Y verify -O verify-time=…` (see `golive audit signature`).
            """)
        @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The roster in force at this record instead of now.", valueName: "seq")) var at: Int?
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
