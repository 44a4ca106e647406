/// A tool or integration the agent calls, as declared in rollout.yaml.
public struct Capability: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var fields: [CapabilityField: String]
    public var highRisk: Bool
    /// Declared when the agent can reach the tool without the gateway (a `direct_tool_access_present` block).
    public var directAccess: Bool

    public init(name: String, description: String = "", fields: [CapabilityField: String] = [:],
                highRisk: Bool = false, directAccess: Bool = false) {
        self.name = name
        self.description = description
        self.fields = fields
        self.highRisk = highRisk
        self.directAccess = directAccess
    }

    public var missingFields: [CapabilityField] {
        CapabilityField.allCases.filter { !(fields[$0] ?? "").contains { !$0.isWhitespace } }
    }

    public var isProductionCapability: Bool { missingFields.isEmpty }

    /// How the chapter would judge this capability, with what is missing named.
    public var verdict: String {
        let missing = missingFields
        if missing.isEmpty { return "production capability" }
        return "a convenient integration, not a production capability (missing: "
            + missing.map(\.rawValue).joined(separator: ", ") + ")"
    }
}
