import Foundation

/// Who may increase exposure when the calendar says no, and how many more people must agree.
public struct BreakGlassPolicy: Codable, Sendable, Equatable {
    public var roles: [String] = ["captain"]
    /// Approvals marked break-glass needed beyond `approvals.exposure_increase`.
    public var extraApprovals: Int = 1

    public init() {}
}
