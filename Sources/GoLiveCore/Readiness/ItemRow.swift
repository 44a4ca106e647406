import Foundation

/// One item as a list shows it: what a script passes to `golive item`, and why it is listed.
public struct ItemRow: Sendable, Encodable, Equatable {
    public var id: String
    public var contour: String
    public var title: String
    public var status: String
    public var standing: String
    public var severity: String
    public var owner: String
    public var updatedAt: Date?
    public var ageSeconds: Int?
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case id, contour, title, status, standing, severity, owner, detail
        case updatedAt = "updated_at"
        case ageSeconds = "age_seconds"
    }
}
