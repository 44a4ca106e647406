/// One checklist question. The catalog holds the definitions; the journal holds what happened to them.
public struct ItemDefinition: Codable, Sendable, Equatable {
    public var id: String
    public var contour: Contour
    public var title: String
    public var why: String
    public var severity: Severity
    public var owner: String
    /// Capability-contour items are computed from the capabilities in rollout.yaml, never set by hand.
    public var derivedFromCapabilityField: CapabilityField?
    public var probe: ProbeSpec?

    public init(id: String, contour: Contour, title: String, why: String, severity: Severity, owner: String,
                derivedFromCapabilityField: CapabilityField? = nil, probe: ProbeSpec? = nil) {
        self.id = id
        self.contour = contour
        self.title = title
        self.why = why
        self.severity = severity
        self.owner = owner
        self.derivedFromCapabilityField = derivedFromCapabilityField
        self.probe = probe
    }
}
