import Foundation

public struct Evidence: Codable, Sendable, Equatable {
    public var kind: String   // note, link, probe
    public var text: String
    public var url: String?
    public var sha256: String?
    public var at: Date?
    public var by: String?

    public init(kind: String, text: String, url: String? = nil, sha256: String? = nil, at: Date? = nil, by: String? = nil) {
        self.kind = kind
        self.text = text
        self.url = url
        self.sha256 = sha256
        self.at = at
        self.by = by
    }
}
