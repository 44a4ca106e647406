import GoLiveCore

/// The CLI's words for what a person can do about a refusal: its flags, commands and variables.
/// The cockpit words the same remedies in keys and fields (GoLiveUI's `CockpitWording`).
enum CommandLineWording {
    static func words(_ remedy: Remedy) -> String {
        switch remedy {
        case let .fillIn(.reason(example)): return "pass --reason \"\(example)\""
        case let .fillIn(.note(example)): return "pass --note \"\(example)\""
        case let .fillIn(.breakGlassReason(example)): return "pass --break-glass \"\(example)\""
        case .reconcileTheCanary: return "check the router, then run golive canary reconcile --applied or --not-applied"
        case let .breakTheGlass(roles): return "\(roles) may run golive canary advance --break-glass \"why\""
        case let .askForApproval(approvers, breakGlass):
            return "ask \(approvers.joined(separator: " or ")) to run: golive canary approve\(breakGlass ? " --break-glass" : "")"
        case .bringYourKey: return "load it in ssh-agent, or pass --key FILE"
        case .addYourKeyToTheAgent: return "add one with ssh-add, or pass --key FILE"
        case .nameAKey: return "pass --key FILE (or set GOLIVE_SIGNING_KEY), or start ssh-agent and add one with ssh-add"
        case let .useYourOwnAgent(operatorID): return "sign as \(operatorID) with an agent holding only your own keys, or with --key FILE"
        case .actAsATeamMember: return "use --as or GOLIVE_OPERATOR"
        case .openWritable: return "run it without --readonly"
        case .lookBack: return "use --history to look back"
        case .setAsideRefusedRecords: return "a captain runs golive journal set-aside --reason \"…\""
        }
    }

    /// An error as the CLI says it: its message and its remedies in the CLI's words.
    static func describe(_ error: any Error) -> String {
        ErrorReport.of(error)?.text(wording: words) ?? ErrorReport.describe(error)
    }
}
