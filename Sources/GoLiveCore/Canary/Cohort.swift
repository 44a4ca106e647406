import Foundation

/// The tenants a step exposes, and the share of traffic that adds up to.
public struct Cohort: Sendable, Equatable {
    public var tenants: [String]
    public var exposurePct: Double

    /// Smallest tenants first, while the sum stays within the step. Excluded tenants never count.
    public static func smallestFirst(_ tenants: [Tenant], upTo limit: Double) -> Cohort {
        var chosen: [String] = [], sum = 0.0
        for t in tenants.filter({ !$0.excluded }).sorted(by: { ($0.sharePct, $0.id) < ($1.sharePct, $1.id) }) {
            // A small tolerance so 0.1 + 0.2 style sums do not fall just over a step.
            guard sum + t.sharePct <= limit + 1e-9 else { break }
            chosen.append(t.id)
            sum += t.sharePct
        }
        return Cohort(tenants: chosen, exposurePct: rounded(sum))
    }

    /// An operator's explicit choice, or why it cannot be used.
    public static func explicit(_ ids: [String], from tenants: [Tenant], upTo limit: Double) -> Result<Cohort, CohortProblem> {
        var sum = 0.0, seen = Set<String>()
        for id in ids where seen.insert(id).inserted {
            guard let t = tenants.first(where: { $0.id == id }) else { return .failure(.unknown(id)) }
            if t.excluded { return .failure(.excluded(id, t.note)) }
            sum += t.sharePct
        }
        if seen.isEmpty { return .failure(.empty) }
        if sum > limit + 1e-9 { return .failure(.overStep(rounded(sum), limit)) }
        return .success(Cohort(tenants: ids.filter { seen.remove($0) != nil }, exposurePct: rounded(sum)))
    }

    static func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
