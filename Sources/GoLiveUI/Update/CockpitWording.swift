import GoLiveCore

/// The cockpit's words for what a person can do about a refusal: its keys, panels and fields.
/// The CLI words the same remedies in flags (golive's `CommandLineWording`); the core says only
/// which remedy applies, so nothing here reads or rewrites the core's sentences.
enum CockpitWording {
    static func words(_ remedy: Remedy) -> String {
        switch remedy {
        case .fillIn(.reason): return "fill in the reason field"
        case .fillIn(.note): return "write why in the note"
        case .fillIn(.breakGlassReason): return "fill in why the glass is broken"
        case .reconcileTheCanary: return "check the router, then press U in the canary panel"
        case let .breakTheGlass(roles): return "\(roles) may break the glass from the command line (golive canary advance --break-glass)"
        case let .askForApproval(approvers, breakGlass):
            return "ask \(approvers.joined(separator: " or ")) to approve\(breakGlass ? " with break-glass" : "") (a in their canary panel)"
        case .bringYourKey: return "load it in ssh-agent, or start the cockpit with a key file"
        case .addYourKeyToTheAgent: return "add one with ssh-add in another terminal, then press the key again"
        case .nameAKey: return "no key file was given when the cockpit was started: quit, then start it with ssh-agent holding your key or with --key FILE"
        case let .useYourOwnAgent(operatorID): return "start the cockpit as \(operatorID) with an agent holding only your own keys"
        case .actAsATeamMember: return "start the cockpit as one of the team (--as or GOLIVE_OPERATOR)"
        case .openWritable: return "quit and open it without --readonly to act"
        case .lookBack: return "the timeline (L) shows what happened"
        case .setAsideRefusedRecords: return "a captain sets them aside from the command line (golive journal set-aside --reason)"
        }
    }

    /// A core error as the cockpit says it: its message and its remedies in the cockpit's words.
    static func describe(_ error: any Error) -> String {
        ErrorReport.of(error)?.text(wording: words) ?? ErrorReport.describe(error)
    }
}
