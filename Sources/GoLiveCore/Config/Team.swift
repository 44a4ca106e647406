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

/// Who is acting: the operator they claim to be and the OS account that ran the command, which is
/// always recorded so a borrowed `--as` is visible in the journal.
public struct Actor: Sendable, Equatable {
    public var operatorID: String
    public var osUser: String
    public var session: String

    public init(operatorID: String, osUser: String, session: String) {
        self.operatorID = operatorID
        self.osUser = osUser
        self.session = session
    }
}
