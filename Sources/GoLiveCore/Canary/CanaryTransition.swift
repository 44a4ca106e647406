import Foundation

/// One traffic change: what it moves from and to, and to whom.
public struct CanaryTransition: Codable, Sendable, Equatable {
    public var id: String
    public var action: String
    public var from: String
    public var to: String
    public var stage: CanaryStage
    public var step: Int?
    public var exposurePct: Double
    public var cohort: [String]
    public var hook: String?
    public var reason: String?
    /// Why the calendar was overridden, on a break-glass advance.
    public var breakGlass: String?

    /// "planned → shadow", "1% → 5%": how alerts and refusals name it.
    public var title: String { "\(from) → \(to)" }

    enum CodingKeys: String, CodingKey {
        case id, action, from, to, stage, step, cohort, hook, reason
        case breakGlass = "break_glass"
        case exposurePct = "exposure_pct"
    }
}
