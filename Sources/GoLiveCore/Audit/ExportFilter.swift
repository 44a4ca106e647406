import Foundation

public struct ExportFilter: Sendable, Equatable {
    public var session: String?
    public var since: Date?
    public var until: Date?
    public init(session: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.session = session
        self.since = since
        self.until = until
    }
    public var isEmpty: Bool { session == nil && since == nil && until == nil }

    func admits(_ e: Event) -> Bool {
        if let session, e.session != session { return false }
        if let since, e.ts < since { return false }
        if let until, e.ts > until { return false }
        return true
    }
}
