public struct Tenant: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var sharePct: Double
    public var excluded: Bool
    public var note: String

    public init(id: String, name: String, sharePct: Double, excluded: Bool = false, note: String = "") {
        self.id = id
        self.name = name
        self.sharePct = sharePct
        self.excluded = excluded
        self.note = note
    }
}
