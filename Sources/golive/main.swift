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

/// The subcommand named first, parsed on its own: building the whole command tree by reflection
/// was about a third of every command's start (issue 30). Anything else (help, a usage error, no
/// subcommand) goes through the whole tree, so what a person reads is the same.
func parsedDirectly(_ arguments: [String]) -> ParsableCommand? {
    let asksForHelp: Set<String> = ["-h", "--help", "help", "--version", "--generate-completion-script", "--experimental-dump-help"]
    guard let name = arguments.first, !arguments.contains(where: asksForHelp.contains),
          let type = Golive.configuration.subcommands.first(where: { ($0.configuration.commandName ?? $0._commandName) == name }) else { return nil }
    return try? type.parseAsRoot(Array(arguments.dropFirst()))
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--version"] {
    print(GoLiveVersion.current)
    exit(0)
}
WritePhases.start()
ParsedConfigCache.use(folder: ParsedConfigCache.defaultFolder())
do {
    var command = try parsedDirectly(arguments) ?? Golive.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if let report = ErrorReport.of(error) {
        FileHandle.standardError.write(Data((report.commandLineText(wording: CommandLineWording.words) + "\n").utf8))
        exit(report.exitCode)
    }
    // The argument parser's own errors: usage problems are bad input (2), like ours.
    let code = Golive.exitCode(for: error).rawValue
    if code == 0 { Golive.exit(withError: error) }
    FileHandle.standardError.write(Data((Golive.fullMessage(for: error) + "\n").utf8))
    exit(code == 64 ? 2 : code)
}
