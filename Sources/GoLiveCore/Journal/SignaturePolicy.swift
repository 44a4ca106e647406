/// Which records carry the acting operator's signature in a signed rollout: the decisions a rule
/// or an auditor relies on. The writer and `audit verify` ask the same questions here.
public enum SignaturePolicy {
    /// Kinds that are always decisions; an `item.set` is one on a blocker item.
    public static let decisionKinds: Set<EventKind> = [.canaryApproved, .contourSignedOff, .itemWaived, .canaryTransitionStarted,
                                                       .canaryHeld, .canaryResumed, .canaryReconciled, .configAdopted]

    /// Signed whenever the operator's key is at hand.
    public static func isDecision(_ kind: EventKind, _ data: EventData, config: RolloutConfig) -> Bool {
        kind == .itemSet ? data.item.flatMap(config.item)?.severity == .blocker : decisionKinds.contains(kind)
    }

    /// Refused unless signed. Hold and rollback are not: they must work for whoever is at the
    /// keyboard when things go wrong, key or no key (they are signed when one is at hand).
    public static func requiresSignature(_ kind: EventKind, _ data: EventData, config: RolloutConfig) -> Bool {
        guard config.identity == .signed, isDecision(kind, data, config: config) else { return false }
        if kind == .canaryHeld { return false }
        if kind == .canaryTransitionStarted, data.transition?.action == "rollback" { return false }
        return true
    }
}
