import Foundation

/// An alert as it is journaled (`alert.raised`) and sent to the routes' commands on stdin.
public struct RaisedAlert: Sendable, Codable, Equatable {
    public var kind: AlertKind
    public var rollout: String
    public var stage: String
    public var exposurePct: Double
    /// The operator whose action (or whose watching process) raised it.
    public var who: String
    public var reason: String
    public var next: String
    /// The record that caused it, where one did; the `alert.raised` record's own seq otherwise.
    public var seq: Int?
    public var contours: [Contour]
    public var at: Date
    /// Deduplicates alerts raised by time (an overdue decision, a lost gate): once per stage.
    public var key: String?

    enum CodingKeys: String, CodingKey {
        case kind, rollout, stage, who, reason, next, seq, contours, at, key
        case exposurePct = "exposure_pct"
    }
}
