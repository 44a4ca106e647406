import ArgumentParser
import Foundation
import GoLiveCore

struct Golive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golive",
        abstract: "Take an AI-agent platform to production safely: readiness checklist, formal gate, audit trail.",
        discussion: """
        Start with `golive demo` to see a sample rollout in the cockpit. In your own
        project:
          golive init       create ./.golive with the default checklist and policy
          golive            open the cockpit on it
          golive status     what is open, what blocks
          golive gate       the formal verdict (exit 0 only when ready)

        Every command takes --store DIR (else $GOLIVE_STORE, else ./.golive) and
        --as OPERATOR (else $GOLIVE_OPERATOR, else your OS user).
        Exit codes: 0 ok, 1 not ready or refused, 2 bad input; `golive wait` and
        `golive canary status` add 3 to 7 (see their --help).
        """,
        version: GoLiveVersion.current,
        subcommands: [Open.self, Status.self, GateCommand.self, ItemsCommand.self, ItemCommand.self, WaitCommand.self, WhatIfCommand.self, Waive.self, SignOffCommand.self, Init.self, Demo.self,
                      PolicyCommand.self, ConfigCommand.self, TeamCommand.self, ProbeCommand.self, CanaryCommand.self, Audit.self, JournalCommand.self, StoreCommand.self],
        defaultSubcommand: Open.self)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--version"] {
    print(GoLiveVersion.current)
    exit(0)
}
// A store agent for this store on this machine runs the command in its warm process instead.
if let code = AgentClient.run(arguments) { exit(code) }
SystemCall.setUpHeaps()
WritePhases.start()
// The kept parses' folder first: the early read's proof reads the adopted configuration's from it.
ParsedConfigCache.use(folder: ParsedConfigCache.defaultFolder())
SharedStore.readEarly(arguments)
exit(CommandDispatch.run(arguments))
