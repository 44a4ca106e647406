/// A person who may act on the rollout, with the roles they hold (captain, safety, sre, eval, …).
public struct Operator: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var roles: [String]
    /// The SSH keys that sign this operator's decisions (`keys:` in rollout.yaml).
    public var keys: [SSHPublicKey] = []
    /// A CI job, a probe timer, `canary watch`: a member of its own with its own key and only the
    /// roles it needs (`automation: true`). Its records say so (`EventData.automation`).
    public var automation = false
    /// What this person's approvals and adoptions must show of their hardware key (`touch:`).
    public var touch: TouchRequirement?

    public init(id: String, name: String, roles: [String], keys: [SSHPublicKey] = []) {
        self.id = id
        self.name = name
        self.roles = roles
        self.keys = keys
    }
}
