/// One of the seven readiness blocks of the chapter's section 3. Readiness is their intersection.
public enum Contour: String, CaseIterable, Codable, Sendable, Comparable {
    case runtime, safety, capabilities, observability, eval_slo = "eval_slo", operations, ownership

    public var title: String {
        switch self {
        case .runtime: return "Runtime"
        case .safety: return "Safety"
        case .capabilities: return "Capabilities"
        case .observability: return "Observability"
        case .eval_slo: return "Eval & SLO"
        case .operations: return "Operations"
        case .ownership: return "Ownership"
        }
    }

    public var longTitle: String {
        switch self {
        case .runtime: return "runtime correctness"
        case .safety: return "safety and policy"
        case .capabilities: return "capability execution"
        case .observability: return "observability"
        case .eval_slo: return "eval and SLO readiness"
        case .operations: return "operational readiness"
        case .ownership: return "ownership and rollback"
        }
    }

    public static func < (a: Contour, b: Contour) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public static func named(_ name: String) throws -> Contour {
        if let c = Contour(rawValue: name) { return c }
        throw InputError("unknown contour '\(name)'; \(Suggest.didYouMean(name, in: allCases.map(\.rawValue)))")
    }
}

/// Keyed by name when encoded (the kept parse of a configuration, whose digest an adoption names,
/// must be the same bytes in every process: a dictionary with other keys encodes in hash order).
extension Contour: CodingKeyRepresentable {}
