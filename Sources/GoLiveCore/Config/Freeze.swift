import Foundation

/// A span in which no exposure increases, whatever the windows say (a peak season, an audit),
/// except by break-glass.
public struct Freeze: Codable, Sendable, Equatable {
    public var name: String
    public var reason: String
    public var zone: TimeZone
    public var start: Date
    /// Exclusive: the first instant the freeze no longer holds.
    public var end: Date

    public init(name: String, reason: String, zone: TimeZone, start: Date, end: Date) {
        self.name = name
        self.reason = reason
        self.zone = zone
        self.start = start
        self.end = end
    }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }
}
