import Foundation

public enum CohortProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case unknown(String), excluded(String, String), empty, overStep(Double, Double)

    public var description: String {
        switch self {
        case let .unknown(id): return "tenant '\(id)' is not in rollout.yaml's tenants"
        case let .excluded(id, note): return "tenant \(id) is excluded from every canary\(note.isEmpty ? "" : " (\(note))")"
        case .empty: return "the cohort names no tenant"
        case let .overStep(sum, limit): return "the cohort's tenants carry \(Format.percent(sum)) of traffic, more than the step's \(Format.percent(limit))"
        }
    }
}
