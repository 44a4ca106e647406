import Foundation
import GoLiveCore

public enum TerminalInput: Equatable {
    case key(Key)
    case resize(Int, Int)
}
