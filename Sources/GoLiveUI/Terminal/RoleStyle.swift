import Foundation
import GoLiveCore
import Yams

public struct RoleStyle: Equatable, Sendable, Hashable {
    public var fg: ThemeColor = .terminalDefault
    public var bg: ThemeColor = .terminalDefault
    public var attrs: ThemeAttributes = []
}
