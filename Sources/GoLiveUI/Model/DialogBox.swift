import Foundation
import GoLiveCore

/// Indirection so a dialog can hold the dialog it would discard.
public final class DialogBox: Equatable, Sendable {
    public let dialog: Dialog
    public init(_ dialog: Dialog) { self.dialog = dialog }
    public static func == (a: DialogBox, b: DialogBox) -> Bool { a.dialog == b.dialog }
}
