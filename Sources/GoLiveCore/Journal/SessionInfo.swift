import Foundation

/// One run of the cockpit or one CLI command by one operator.
public struct SessionInfo: Codable, Sendable, Equatable {
    public var id: String
    /// W3C trace-context format (32 lower-case hex digits), so the session can be joined to traces.
    public var traceID: String
    public var operatorID: String
    public var osUser: String
    public var host: String
    public var pid: Int32
    public var version: String
    public var terminal: String?
    public var command: String

    public init(id: String, traceID: String = Identity.randomHex(bytes: 16), operatorID: String, osUser: String,
                host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid(), version: String, terminal: String? = nil, command: String) {
        self.id = id
        self.traceID = traceID
        self.operatorID = operatorID
        self.osUser = osUser
        self.host = host
        self.pid = pid
        self.version = version
        self.terminal = terminal
        self.command = command
    }

    /// The session of `actor` in this process, with this golive's version: how every front end opens one.
    public static func current(for actor: Actor, command: String, terminal: String? = nil) -> SessionInfo {
        SessionInfo(id: actor.session, operatorID: actor.operatorID, osUser: actor.osUser, version: GoLiveVersion.current,
                    terminal: terminal, command: command)
    }

    enum CodingKeys: String, CodingKey {
        case id, host, pid, version, terminal, command
        case traceID = "trace_id"
        case operatorID = "operator"
        case osUser = "os_user"
    }
}
