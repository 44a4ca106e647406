import Foundation

/// The core accepted a traffic change but the actuator did not confirm it: reported like a refusal.
public struct HookNotApplied: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
