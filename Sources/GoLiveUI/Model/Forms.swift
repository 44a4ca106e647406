import Foundation
import GoLiveCore

/// A one-line text input.
public struct TextField: Equatable, Sendable {
    public var text: String = ""
    public init(_ text: String = "") { self.text = text }

    /// Edits the text; returns false for keys it does not use.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case let .char(c): text.append(c); return true
        case .backspace: if !text.isEmpty { text.removeLast() }; return true
        case .ctrl("u"): text = ""; return true
        default: return false
        }
    }
}

public enum NoteKind: String, Sendable { case pass, fail, notApplicable, evidence }

public enum Dialog: Equatable, Sendable {
    case note(kind: NoteKind, item: String, note: TextField)
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
        case let .note(_, _, note): return !note.text.isEmpty
        case let .waive(_, _, reason, expires, _): return !reason.text.isEmpty || !expires.text.isEmpty
        case let .signOff(_, _, _, note): return !note.text.isEmpty
        case .confirmDiscard: return false
        case let .canaryConfirm(c): return !c.typed.text.isEmpty || !(c.reason?.text.isEmpty ?? true)
        case let .canaryHold(reason): return !reason.text.isEmpty
        }
    }
}

public struct CanaryConfirm: Equatable, Sendable {
    public enum Kind: String, Sendable { case shadow, advance, rollback, complete, reconcile }
    public var kind: Kind
    public var title: String
    /// The exact change, one fact per line.
    public var lines: [String]
    /// What must be typed to confirm ("1%", "rollback", "applied" or "not applied" …).
    public var targets: [String]
    public var typed = TextField()
    /// Rollback needs a reason; nil when the action takes none.
    public var reason: TextField?
    /// 0 = reason, 1 = the confirmation field.
    public var focus: Int

    public init(kind: Kind, title: String, lines: [String], targets: [String], needsReason: Bool = false) {
        self.kind = kind
        self.title = title
        self.lines = lines
        self.targets = targets
        reason = needsReason ? TextField() : nil
        focus = needsReason ? 0 : 1
    }

    /// The typed text, matched without regard to case or a missing "%".
    public func matchedTarget() -> String? {
        let t = typed.text.trimmingCharacters(in: .whitespaces).lowercased()
        return targets.first { $0.lowercased() == t || $0.lowercased() == t + "%" }
    }
}

/// Indirection so a dialog can hold the dialog it would discard.
public final class DialogBox: Equatable, Sendable {
    public let dialog: Dialog
    public init(_ dialog: Dialog) { self.dialog = dialog }
    public static func == (a: DialogBox, b: DialogBox) -> Bool { a.dialog == b.dialog }
}
