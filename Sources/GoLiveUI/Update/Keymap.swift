/// The one table that drives key dispatch, the footer hints and the `?` overlay.
public enum Keymap {
    public static let bindings: [Binding] = [
        Binding(keys: [.up, .char("k")], action: .up, help: "previous item", footer: nil, scope: .everywhere),
        Binding(keys: [.down, .char("j")], action: .down, help: "next item", footer: nil, scope: .everywhere),
        Binding(keys: [.pageUp], action: .pageUp, help: "page up", footer: nil, scope: .everywhere),
        Binding(keys: [.pageDown], action: .pageDown, help: "page down", footer: nil, scope: .everywhere),
        Binding(keys: [.home, .char("g")], action: .top, help: "first item", footer: nil, scope: .everywhere),
        Binding(keys: [.end, .char("G")], action: .bottom, help: "last item", footer: nil, scope: .everywhere),
        Binding(keys: [.left, .char("h"), .backTab], action: .prevContour, help: "previous contour", footer: nil, scope: .checklist),
        Binding(keys: [.right, .char("l"), .tab], action: .nextContour, help: "next contour", footer: nil, scope: .checklist),
        Binding(keys: [.enter], action: .open, help: "open the item: detail and history", footer: "open", scope: .everywhere),
        Binding(keys: [.char(" ")], action: .pass, help: "mark passed, with a note", footer: "pass", scope: .everywhere),
        Binding(keys: [.char("f")], action: .fail, help: "mark failed, with a note", footer: "fail", scope: .everywhere),
        Binding(keys: [.char("n")], action: .notApplicable, help: "mark not applicable (reason required)", footer: "n/a", scope: .everywhere),
        Binding(keys: [.char("e")], action: .evidence, help: "add evidence: a note or a link", footer: "evidence", scope: .everywhere),
        Binding(keys: [.char("w")], action: .waive, help: "waive with reason and expiry", footer: "waive", scope: .everywhere),
        Binding(keys: [.char("s")], action: .signOff, help: "sign off the focused contour in one of your roles", footer: "sign off", scope: .checklist),
        Binding(keys: [.char("r")], action: .runProbe, help: "run the item's probe (esc cancels)", footer: nil, scope: .everywhere),
        Binding(keys: [.char("b")], action: .blockers, help: "on call: failures, blockers, open required items", footer: "on call", scope: .everywhere),
        Binding(keys: [.char("o")], action: .ownerFilter, help: "cycle the owner-role filter", footer: "owner", scope: .blockers),
        Binding(keys: [.char("v")], action: .gate, help: "the gate verdict with the items behind it", footer: "gate", scope: .everywhere),
        Binding(keys: [.char("i")], action: .whatIf, help: "what-if: the gate at a later time or with a waiver (:whatif)", footer: nil, scope: .everywhere),
        Binding(keys: [.char("c")], action: .canary, help: "canary panel: stage, cohort, approvals, hook", footer: "canary", scope: .everywhere),
        Binding(keys: [.char("S")], action: .canaryShadow, help: "enter shadow, 0% live (typed confirm)", footer: "shadow", scope: .canary),
        Binding(keys: [.char("a")], action: .canaryApprove, help: "approve the next exposure increase", footer: "approve", scope: .canary),
        Binding(keys: [.char("A")], action: .canaryAdvance, help: "advance a step (typed confirm)", footer: "advance", scope: .canary),
        Binding(keys: [.char("H")], action: .canaryHold, help: "hold, with a reason", footer: "hold", scope: .canary),
        Binding(keys: [.char("R")], action: .canaryResume, help: "resume a held canary", footer: "resume", scope: .canary),
        Binding(keys: [.char("X")], action: .canaryRollback, help: "roll back to 0%, with a reason", footer: "rollback", scope: .canary),
        Binding(keys: [.char("U")], action: .canaryReconcile, help: "reconcile an unknown hook outcome", footer: "reconcile", scope: .canary),
        Binding(keys: [.char("C")], action: .canaryComplete, help: "complete from the last step", footer: "complete", scope: .canary),
        Binding(keys: [.char("L")], action: .timeline, help: "timeline of the journal: sessions, changes, refusals (/ filters)", footer: nil, scope: .everywhere),
        Binding(keys: [.char("/")], action: .filter, help: "filter by id, title or owner", footer: nil, scope: .everywhere),
        Binding(keys: [.char(":")], action: .commandLine, help: CommandLineVerb.helpLine, footer: nil, scope: .everywhere),
        Binding(keys: [.char("t")], action: .cycleTheme, help: "next colour theme", footer: nil, scope: .everywhere),
        Binding(keys: [.char("?")], action: .help, help: "this help", footer: "help", scope: .everywhere),
        Binding(keys: [.escape], action: .back, help: "back / close", footer: nil, scope: .everywhere),
        Binding(keys: [.char("q"), .ctrl("c")], action: .quit, help: "quit (asks first if a form is half filled)", footer: "quit", scope: .everywhere),
    ]

    public static func action(for key: Key, in scope: Scope) -> Action? {
        bindings.first { ($0.scope == .everywhere || $0.scope == scope) && $0.keys.contains(key) }?.action
    }

    /// `applies`: whether a canary key does anything for the canary as it stands (a key that
    /// cannot apply is not offered; pressed anyway, it says why).
    public static func footer(for scope: Scope, readOnly: Bool = false, applies: (Action) -> Bool = { _ in true }) -> [(String, String)] {
        // The canary panel's own keys first: item keys mean nothing there.
        let shown = scope == .canary
            ? bindings.filter { $0.scope == .canary || [.canary, .gate, .help, .quit].contains($0.action) }
            : bindings.filter { $0.scope == .everywhere || $0.scope == scope }
        return shown.filter { $0.footer != nil && !(readOnly && $0.action.writes) && ($0.scope != .canary || applies($0.action)) }
            .map { (($0.keys.first { $0 != .char("k") } ?? $0.keys[0]).label, $0.footer!) }
    }
}
