/// A named predicate over items and capabilities. Policies list condition names under `require`
/// (must hold) and `block_if` (must not hold).
public struct Condition: Codable, Sendable, Equatable {
    public enum Rule: Codable, Sendable, Equatable {
        /// Holds while every listed item is passed, not applicable, or waived within its expiry.
        case allPassed([String])
        /// Every capability carries these template fields.
        case capabilitiesHave([CapabilityField])
        /// Fires when any listed item is failed (or its probe could not run).
        case anyFailed([String])
        /// Fires when any listed item is not yet passed: absence of a danger has to be shown, not assumed.
        case anyNotPassed([String])
        /// Fires when any capability lacks one of these template fields.
        case capabilityFieldMissing([CapabilityField])
        /// Fires when any capability is declared reachable without the gateway.
        case capabilityDirectAccess
    }

    public enum Polarity: String, Sendable { case holdsWhenClean, holdsWhenFound }

    public var name: String
    public var summary: String
    public var rules: [Rule]

    public init(name: String, summary: String, rules: [Rule]) {
        self.name = name
        self.summary = summary
        self.rules = rules
    }

    /// All rules of one condition share a polarity; the first decides.
    public var polarity: Polarity {
        switch rules.first {
        case .allPassed?, .capabilitiesHave?, nil: return .holdsWhenClean
        default: return .holdsWhenFound
        }
    }

    public var itemIDs: [String] {
        rules.flatMap { rule -> [String] in
            switch rule {
            case let .allPassed(ids), let .anyFailed(ids), let .anyNotPassed(ids): return ids
            default: return []
            }
        }
    }

    public var capabilityFields: [CapabilityField] {
        rules.flatMap { rule -> [CapabilityField] in
            switch rule {
            case let .capabilitiesHave(f), let .capabilityFieldMissing(f): return f
            default: return []
            }
        }
    }
}
