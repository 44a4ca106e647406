import Foundation

public struct ConditionResult: Codable, Sendable, Equatable {
    public var name: String
    public var summary: String
    public var holds: Bool
    public var findings: [Finding]
}
