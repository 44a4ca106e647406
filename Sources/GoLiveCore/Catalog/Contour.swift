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

public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
    case blocker, required, advisory

    var rank: Int { self == .blocker ? 0 : self == .required ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// What an operator (or a probe) recorded about an item.
public enum ItemStatus: String, CaseIterable, Codable, Sendable {
    case open, passed, failed, waived, not_applicable = "not_applicable"

    public var glyph: String {
        switch self {
        case .open: return "○"
        case .passed: return "✓"
        case .failed: return "✗"
        case .waived: return "~"
        case .not_applicable: return "–"
        }
    }

    public var word: String {
        switch self {
        case .not_applicable: return "n/a"
        default: return rawValue
        }
    }
}
