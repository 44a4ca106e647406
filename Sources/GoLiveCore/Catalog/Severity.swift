public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
    case blocker, required, advisory

    var rank: Int { self == .blocker ? 0 : self == .required ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
