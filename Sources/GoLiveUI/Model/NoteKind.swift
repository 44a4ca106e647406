import Foundation
import GoLiveCore

public enum NoteKind: String, Sendable { case pass, fail, notApplicable, evidence }
