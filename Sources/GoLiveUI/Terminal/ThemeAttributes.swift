import Foundation
import GoLiveCore
import Yams

public struct ThemeAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let bold = ThemeAttributes(rawValue: 1)
    public static let reverse = ThemeAttributes(rawValue: 2)
    public static let underline = ThemeAttributes(rawValue: 4)
    public static let dim = ThemeAttributes(rawValue: 8)
    static let names: [(String, ThemeAttributes)] = [("bold", .bold), ("reverse", .reverse), ("underline", .underline), ("dim", .dim)]
}
