/// Who is acting: the operator they claim to be and the OS account that ran the command, which is
/// always recorded so a borrowed `--as` is visible in the journal.
public struct Actor: Sendable, Equatable {
    public var operatorID: String
    public var osUser: String
    public var session: String
    /// The fingerprint of the key this operator signs with, once found (signed rollouts).
    public var key: String?

    public init(operatorID: String, osUser: String, session: String, key: String? = nil) {
        self.operatorID = operatorID
        self.osUser = osUser
        self.session = session
        self.key = key
    }
}
