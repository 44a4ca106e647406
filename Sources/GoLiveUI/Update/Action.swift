public enum Action: String, CaseIterable, Sendable {
    case up, down, pageUp, pageDown, top, bottom, prevContour, nextContour, open
    case pass, fail, notApplicable, evidence, waive, signOff
    case runProbe, blockers, ownerFilter, gate, whatIf, timeline, filter, commandLine, help, back, quit, cycleTheme
    case canary, canaryShadow, canaryApprove, canaryAdvance, canaryHold, canaryResume, canaryRollback, canaryReconcile, canaryComplete
}

extension Action {
    /// Keys that ask the core to write: a read-only cockpit hides them (footer and help), as k9s does.
    public var writes: Bool {
        switch self {
        case .pass, .fail, .notApplicable, .evidence, .waive, .signOff, .runProbe,
             .canaryShadow, .canaryApprove, .canaryAdvance, .canaryHold, .canaryResume, .canaryRollback, .canaryReconcile, .canaryComplete:
            return true
        default:
            return false
        }
    }
}
