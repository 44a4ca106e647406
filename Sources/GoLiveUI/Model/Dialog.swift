import Foundation
import GoLiveCore

public enum Dialog: Equatable, Sendable {
    /// `revision`: the item's revision when the form opened; the core refuses if it has moved on.
    case note(kind: NoteKind, item: String, note: TextField, revision: Int)
    /// `revision`: as for a note; a waiver never silently replaces what the form did not show.
    case waive(item: String, blocker: Bool, reason: TextField, expires: TextField, field: Int, revision: Int)
    /// `seen`: the contour's digest when the form opened, which the sign-off binds to.
    case signOff(contour: Contour, roles: [String], selected: Int, note: TextField, seen: String)
    /// "Discard what you typed?" before closing a half-filled form, or before quitting.
    case confirmDiscard(form: DialogBox, thenQuit: Bool)
    /// A traffic change spelled out, confirmed only by typing its target; Cancel is the default.
    case canaryConfirm(CanaryConfirm)
    case canaryHold(reason: TextField)

    /// True when the operator typed something that closing would lose.
    public var isHalfFilled: Bool {
        switch self {
        case let .note(_, _, note, _): return !note.text.isEmpty
        case let .waive(_, _, reason, expires, _, _): return !reason.text.isEmpty || !expires.text.isEmpty
        case let .signOff(_, _, _, note, _): return !note.text.isEmpty
        case .confirmDiscard: return false
        case let .canaryConfirm(c): return !c.typed.text.isEmpty || !(c.reason?.text.isEmpty ?? true)
        case let .canaryHold(reason): return !reason.text.isEmpty
        }
    }

    /// The same form, bound to what `d` shows: the revision or digest a refused form saw is moved
    /// on only once the person has been told what changed.
    func rebound(to d: Dashboard) -> Dialog {
        switch self {
        case let .note(kind, item, note, _):
            return .note(kind: kind, item: item, note: note, revision: d.readiness.state.item(item).revision)
        case let .waive(item, blocker, reason, expires, field, _):
            return .waive(item: item, blocker: blocker, reason: reason, expires: expires, field: field, revision: d.readiness.state.item(item).revision)
        case let .signOff(contour, roles, selected, note, _):
            return .signOff(contour: contour, roles: roles, selected: selected, note: note, seen: d.readiness.contourHash(contour))
        default:
            return self
        }
    }
}
