import ArgumentParser
import Foundation
import GoLiveCore
import GoLiveUI

struct CockpitOptions: ParsableArguments {
    @Option(name: .long, help: "Colour theme: dark (default), light, high-contrast, colorblind, monochrome, or one of yours in $XDG_CONFIG_HOME/golive/themes.")
    var theme: String?
    @Flag(name: .long, help: "No colour: bold, reverse and underline only (also with NO_COLOR or TERM=dumb).")
    var noColor = false
    @Flag(name: .long, help: "Open for review: every write action is refused.")
    var readonly = false

    func run(store: Store, actor: Actor, signer: DecisionSigner = .fromEnvironment(), greeting: String? = nil) throws {
        guard isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0 else {
            throw InputError("the cockpit needs a terminal; use `golive status` or `golive gate` in scripts")
        }
        var signer = signer
        var sessionAgent: SSHAgentProcess?
        // An encrypted key and no agent holding it: unlock it once for this session, in an agent
        // of the cockpit's own. OpenSSH asks for the passphrase; GoLive never sees it.
        if !readonly, let config = try? store.loadConfig(),
           let encrypted = signer.encryptedKeyFile(for: actor.operatorID, config: config, store: store.directory) {
            print("\(safe(encrypted)) is encrypted or a hardware key: loading it into an agent for this cockpit session only (a passphrase goes to ssh-add, never to GoLive; the agent ends with the cockpit).")
            let agent = try SSHAgentProcess()
            do {
                try agent.add(encrypted)
                signer = DecisionSigner(agent: agent.client)
                signer.agent?.deadline = SSHAgent.cockpitDeadline
                sessionAgent = agent
            } catch {
                print("golive: \(ErrorReport.describe(error)); the cockpit opens without a key: decisions will be refused")
            }
        }
        defer { withExtendedLifetime(sessionAgent) {} }
        let app = try CockpitApp(cockpit: Cockpit(store: store, readOnly: readonly, signer: signer), actor: actor, themeName: theme, noColor: noColor,
                             environment: ProcessInfo.processInfo.environment, greeting: greeting)
        let code = try app.run()
        if code != 0 { throw ExitCode(code) }
    }
}

struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the cockpit on the store (what `golive` alone does).",
        discussion: "Keys: ↑↓/jk move, ←→/hl/tab contours, ⏎ open, space pass, f fail, n n/a, e evidence, w waive, s sign off, b blockers, v gate, / filter, : command line, t theme, ? help, q quit.").parsedOnItsOwn
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var cockpit: CockpitOptions

    func run() throws {
        try cockpit.run(store: try storeOptions.openStore(live: true), actor: storeOptions.actor(), signer: .fromEnvironment(keyFile: storeOptions.signingKey))
    }
}
