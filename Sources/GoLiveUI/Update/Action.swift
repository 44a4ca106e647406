public enum Action: String, CaseIterable, Sendable {
    case up, down, pageUp, pageDown, top, bottom, prevContour, nextContour, open
    case pass, fail, notApplicable, evidence, waive, signOff
    case runProbe, blockers, ownerFilter, gate, timeline, filter, commandLine, help, back, quit, cycleTheme
    case canary, canaryShadow, canaryApprove, canaryAdvance, canaryHold, canaryResume, canaryRollback, canaryReconcile, canaryComplete
}
