/// Which records carry the acting operator's signature in a signed rollout: the decisions a rule
/// or an auditor relies on. The writer and `audit verify` ask the same questions here.
public enum SignaturePolicy {
    /// Signed whenever the operator's key is at hand.
    public static func isDecision(_ kind: EventKind, _ data: EventData, config: RolloutConfig) -> Bool {
        switch kind {
        case .canaryApproved, .contourSignedOff, .itemWaived, .canaryTransitionStarted, .canaryHeld, .canaryResumed,
             .canaryReconciled, .configAdopted:
            return true
        case .itemSet:
            return data.item.flatMap(config.item)?.severity == .blocker
        default:
            return false
        }
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
