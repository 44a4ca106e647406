/// The fields of the chapter's section 6 operational template. A capability without all of them
/// "is not a production capability yet. It is just a convenient integration."
public enum CapabilityField: String, CaseIterable, Codable, Sendable {
    case owner, transport, timeout, retry_policy, idempotency, unknown_side_effect_path, outcome_telemetry

    public var question: String {
        switch self {
        case .owner: return "is there an owner"
        case .transport: return "is transport clear"
        case .timeout: return "is there a timeout"
        case .retry_policy: return "is there a retry policy"
        case .idempotency: return "is there an idempotency strategy"
        case .unknown_side_effect_path: return "is the unknown side effect path clear"
        case .outcome_telemetry: return "is outcome telemetry in place"
        }
    }
}

/// Keyed by name when encoded, as Contour is (the kept parse must encode the same in every process).
extension CapabilityField: CodingKeyRepresentable {}
