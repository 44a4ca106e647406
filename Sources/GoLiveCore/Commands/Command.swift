import Foundation

/// Everything an operator can ask to change. The CLI and the cockpit screen build these; only
/// `Cockpit.perform` carries them out.
public enum Command: Sendable, Equatable {
    case setItem(id: String, status: ItemStatus, note: String, evidenceURL: String?)
    case addEvidence(id: String, text: String, url: String?)
    case waive(id: String, reason: String, expires: Date)
    case signOff(contour: Contour, role: String, note: String)
    /// A probe's outcome, recorded as the item's status with the output's hash as evidence.
    case recordProbe(id: String, outcome: ProbeOutcome)
    case canary(CanaryAction)

    /// The longest note, evidence text or reason a command takes (CLI and cockpit alike): longer
    /// text belongs in a linked document, and a journal line stays readable.
    public static let noteLimit = 10_000

    /// Hold and rollback: they must work when other commands cannot (a broken configuration, a
    /// torn write, a configuration changed outside the journal).
    public var isLever: Bool {
        switch self {
        case .canary(.hold), .canary(.rollback): return true
        default: return false
        }
    }

    /// The free text a command carries, named for messages.
    var texts: [(String, String)] {
        switch self {
        case let .setItem(_, _, note, _): return [("note", note)]
        case let .addEvidence(_, text, _): return [("evidence note", text)]
        case let .waive(_, reason, _): return [("reason", reason)]
        case let .signOff(_, _, note): return [("note", note)]
        case .recordProbe: return []
        case let .canary(action):
            switch action {
            case let .hold(reason), let .rollback(reason): return [("reason", reason)]
            case let .approve(note, _), let .reconcile(_, note): return [("note", note)]
            case let .advance(_, breakGlass?): return [("break-glass reason", breakGlass)]
            default: return []
            }
        }
    }

    /// The command in words, for messages that either front end shows.
    public var named: String {
        switch self {
        case let .setItem(id, status, _, _): return "\(status == .not_applicable ? "not applicable" : status.word) \(id)"
        case let .addEvidence(id, _, _): return "evidence for \(id)"
        case let .waive(id, _, expires): return "waive \(id) until \(Timestamp.short(expires))"
        case let .signOff(contour, role, _): return "sign-off of \(contour.title) as \(role)"
        case let .recordProbe(id, _): return "probe of \(id)"
        case let .canary(action):
            if case let .reconcile(applied, _) = action { return "reconcile as \(applied ? "applied" : "not applied")" }
            return "canary \(action.name)"
        }
    }

    /// The command as the CLI would spell it, for refusal records and messages.
    public var spelled: String {
        switch self {
        case let .setItem(id, status, _, _):
            let flag = status == .passed ? "--pass" : status == .failed ? "--fail" : "--na"
            return "item \(id) \(flag)"
        case let .addEvidence(id, _, _): return "item \(id) --evidence"
        case let .waive(id, _, expires): return "waive \(id) --expires \(Timestamp.short(expires))"
        case let .signOff(contour, role, _): return "signoff \(contour.rawValue) --role \(role)"
        case let .recordProbe(id, _): return "probe run \(id)"
        case let .canary(action):
            switch action {
            case let .advance(cohort, breakGlass) where cohort != nil || breakGlass != nil:
                return "canary advance" + (cohort.map { " --tenants \($0.joined(separator: ","))" } ?? "") + (breakGlass == nil ? "" : " --break-glass")
            case .approve(_, true): return "canary approve --break-glass"
            case let .reconcile(applied, _): return "canary reconcile \(applied ? "--applied" : "--not-applied")"
            default: return "canary \(action.name)"
            }
        }
    }
}
