import ArgumentParser
import Foundation
import GoLiveCore

struct Golive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golive",
        abstract: "Take an AI-agent platform to production safely: readiness checklist, formal gate, audit trail.",
        discussion: """
        Start with `golive demo` to see a sample rollout in the cockpit. In your own project:
          golive init                      create ./.golive with the default checklist and policy
          golive                           open the cockpit on it
          golive status                    what is open, what blocks
          golive gate                      the formal verdict (exit 0 only when ready)

        Every command takes --store DIR (else $GOLIVE_STORE, else ./.golive) and --as OPERATOR
        (else $GOLIVE_OPERATOR, else your OS user). Exit codes: 0 ok, 1 not ready or refused, 2 bad input.
        """,
        version: GoLiveVersion.current,
        subcommands: [Open.self, Status.self, GateCommand.self, ItemCommand.self, Waive.self, SignOffCommand.self, Init.self, Demo.self,
                      PolicyCommand.self, ProbeCommand.self, CanaryCommand.self, Audit.self, JournalCommand.self, AppendLoop.self],
        defaultSubcommand: Open.self)
}

/// Exit codes are part of the interface: scripts branch on them.
func exitCode(for error: Error) -> Int32 {
    switch error {
    case is Refusal, is HookNotApplied: return 1
    case is InputError, is ConfigError, is StoreError: return 2
    default:
        let code = Golive.exitCode(for: error).rawValue
        return code == 64 ? 2 : code  // ArgumentParser's usage errors are bad input too
    }
}

do {
    var command = try Golive.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as Refusal {
    FileHandle.standardError.write(Data("golive: \(SafeText.sanitize(error.description))\n".utf8))
    exit(1)
} catch let error as HookNotApplied {
    FileHandle.standardError.write(Data("golive: \(SafeText.sanitize(error.description))\n".utf8))
    exit(1)
} catch let error as InputError {
    FileHandle.standardError.write(Data("golive: error: \(SafeText.sanitize(error.description))\n".utf8))
    exit(2)
} catch let error as ConfigError {
    FileHandle.standardError.write(Data("\(SafeText.sanitize(error.description))\n".utf8))
    exit(2)
} catch let error as StoreError {
    FileHandle.standardError.write(Data("golive: error: \(SafeText.sanitize(error.description))\n".utf8))
    exit(2)
} catch {
    let code = exitCode(for: error)
    if code == 0 { Golive.exit(withError: error) }
    FileHandle.standardError.write(Data((Golive.fullMessage(for: error) + "\n").utf8))
    exit(code)
}
