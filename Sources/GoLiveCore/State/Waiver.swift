import Foundation

public struct Waiver: Codable, Sendable, Equatable {
    public var reason: String
    public var expires: Date
    public var by: String
    public var at: Date
}
