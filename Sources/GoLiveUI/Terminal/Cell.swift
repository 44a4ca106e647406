import GoLiveCore

/// One terminal cell: a grapheme (or "" for the right half of a wide one) and its role.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: Role
    public init(_ text: String = " ", _ role: Role = .normal) {
        self.text = text
        self.role = role
    }
}
