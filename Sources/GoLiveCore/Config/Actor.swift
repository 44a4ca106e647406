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
