import Foundation
import GoLiveCore

public enum Dialog: Equatable, Sendable {
    /// `revision`: the item's revision when the form opened; the core refuses if it has moved on.
    case note(kind: NoteKind, item: String, note: TextField, revision: Int)
    case waive(item: String, blocker: Bool, reason: TextField, expires: TextField, field: Int)
    case signOff(contour: Contour, roles: [String], selected: Int, note: TextField)
    /// "Discard what you typed?" before closing a half-filled form, or before quitting.
    case confirmDiscard(form: DialogBox, thenQuit: Bool)
    /// A traffic change spelled out, confirmed only by typing its target; Cancel is the default.
    case canaryConfirm(CanaryConfirm)
    case canaryHold(reason: TextField)

    /// True when the operator typed something that closing would lose.
    public var isHalfFilled: Bool {
        switch self {
        case let .note(_, _, note, _): return !note.text.isEmpty
        case let .waive(_, _, reason, expires, _): return !reason.text.isEmpty || !expires.text.isEmpty
        case let .signOff(_, _, _, note): return !note.text.isEmpty
        case .confirmDiscard: return false
        case let .canaryConfirm(c): return !c.typed.text.isEmpty || !(c.reason?.text.isEmpty ?? true)
        case let .canaryHold(reason): return !reason.text.isEmpty
        }
    }
}
