import ArgumentParser
import Foundation
import GoLiveCore

/// One command line run to its exit code: what `golive` does in its own process, and what the
/// store agent does for each command it serves. Nothing here exits the process.
enum CommandDispatch {
    static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try WritePhases.measure("parse") { try parsedDirectly(arguments) ?? Golive.parseAsRoot(arguments) }
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            if let report = ErrorReport.of(error) {
                FileHandle.standardError.write(Data((report.commandLineText(wording: CommandLineWording.words) + "\n").utf8))
                return report.exitCode
            }
            // The argument parser's own errors: usage problems are bad input (2), like ours; help
            // and the version are a clean exit, on stdout.
            let code = Golive.exitCode(for: error).rawValue
            if code == 0 {
                print(Golive.fullMessage(for: error))
                return 0
            }
            FileHandle.standardError.write(Data((Golive.fullMessage(for: error) + "\n").utf8))
            return code == 64 ? 2 : code
        }
    }

    static let asksForHelp: [String] = ["-h", "--help", "help", "--version", "--generate-completion-script", "--experimental-dump-help"]

    /// The subcommand named first, parsed on its own: building the whole command tree by reflection
    /// was about a third of every command's start (issue 30). Anything else (help, a usage error, no
    /// subcommand) goes through the whole tree, so what a person reads is the same.
    static func parsedDirectly(_ arguments: [String]) -> ParsableCommand? {
        guard let name = arguments.first, !arguments.contains(where: asksForHelp.contains),
              let type = Golive.configuration.subcommands.first(where: { ($0.configuration.commandName ?? $0._commandName) == name }) else { return nil }
        // A debug build (the one the tests drive) stops at a subcommand that would be parsed three times.
        assert(type.configuration._superCommandName != nil, "\(name)'s configuration lacks .parsedOnItsOwn")
        return try? type.parseAsRoot(Array(arguments.dropFirst()))
    }
}

extension CommandConfiguration {
    /// A subcommand of golive's parsed as the root (`CommandDispatch.parsedDirectly`) is asked by
    /// the argument parser whether it is `--generate-completion-script` first, which parses the
    /// command line twice more, by reflection: a sixth of what the store agent spent on a write
    /// (issue 30). `parsedDirectly` never gets that flag (it goes through the whole tree), and a
    /// super command's name turns the check off; it is read only when the subcommand is the root,
    /// so help and errors, always from the whole tree, are as before.
    var parsedOnItsOwn: CommandConfiguration {
        var configuration = self
        configuration._superCommandName = "golive"
        return configuration
    }
}
