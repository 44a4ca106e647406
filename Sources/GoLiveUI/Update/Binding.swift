public struct Binding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var footer: String?
    public var scope: Scope
}
