import Foundation

public struct SignOff: Codable, Sendable, Equatable {
    public var contour: Contour
    public var role: String
    public var by: String
    public var at: Date
    public var itemsHash: String
    public var note: String
    public var seq: Int
}
