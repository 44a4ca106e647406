/// A person who may act on the rollout, with the roles they hold (captain, safety, sre, eval, …).
public struct Operator: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var roles: [String]

    public init(id: String, name: String, roles: [String]) {
        self.id = id
        self.name = name
        self.roles = roles
    }
}
