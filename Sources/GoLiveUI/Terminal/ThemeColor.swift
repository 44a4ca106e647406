import Foundation
import GoLiveCore
import Yams

public enum ThemeColor: Equatable, Sendable, Hashable {
    case terminalDefault
    case index(Int)
}
