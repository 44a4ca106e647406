import Foundation

/// What is behind a condition's truth value: an item and how it stands, or a capability and what it lacks.
public struct Finding: Codable, Sendable, Equatable {
    public var item: String?
    public var capability: String?
    public var detail: String
    public var owner: String?
}
