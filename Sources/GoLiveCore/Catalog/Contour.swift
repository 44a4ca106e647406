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

    /// Contours written as their names with a space between (a kept parse's item contours):
    /// unknown names are left out. Split on bytes: String's split by Character was a quarter of
    /// reading a kept parse of 8,000 items.
    static func list(spaceSeparated text: String) -> [Contour] {
        var text = text
        return text.withUTF8 { bytes in
            let names = allCases.map { (contour: $0, name: Array($0.rawValue.utf8)) }
            var out: [Contour] = []
            out.reserveCapacity(bytes.count / 8)
            var from = 0
            while from < bytes.count {
                let to = bytes[from...].firstIndex(of: 0x20) ?? bytes.count
                let word = UnsafeBufferPointer(rebasing: bytes[from..<to])
                if !word.isEmpty, let known = names.first(where: { $0.name.elementsEqual(word) }) { out.append(known.contour) }
                from = to + 1
            }
            return out
        }
    }

    public static func named(_ name: String) throws -> Contour {
        if let c = Contour(rawValue: name) { return c }
        throw InputError("unknown contour '\(name)'; \(Suggest.didYouMean(name, in: allCases.map(\.rawValue)))")
    }
}

/// Keyed by name when encoded (the kept parse of a configuration, whose digest an adoption names,
/// must be the same bytes in every process: a dictionary with other keys encodes in hash order).
extension Contour: CodingKeyRepresentable {}
