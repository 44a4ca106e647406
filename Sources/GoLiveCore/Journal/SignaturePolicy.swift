/// Which records carry the acting operator's signature in a signed rollout: every record that
/// changes what the gate or the canary stands on. The writer and the judge (`RecordJudge`, which
/// every reader and `audit verify` use) ask the same questions here.
public enum SignaturePolicy {
    /// Kinds whose records are decisions: item results and evidence (conditions rest on items
    /// that are not blockers too), waivers, sign-offs, adoptions, every canary move and hook
    /// outcome, and the setting aside of refused records.
    public static let decisionKinds: Set<EventKind> = [.itemSet, .itemEvidence, .canaryApproved, .contourSignedOff, .itemWaived,
                                                       .canaryTransitionStarted, .canaryTransitionDone, .canaryTransitionFailed,
                                                       .canaryOutcomeUnknown, .canaryHeld, .canaryResumed, .canaryReconciled,
                                                       .configAdopted, .configProposed, .configApproved, .journalSetAside]

    /// Signed whenever the operator's key is at hand.
    public static func isDecision(_ kind: EventKind, _ data: EventData, config: RolloutConfig) -> Bool {
        decisionKinds.contains(kind)
    }

    /// Refused unless signed. Hold and rollback (and a rollback's hook outcome) are not: they must
    /// work for whoever is at the keyboard when things go wrong, key or no key (they are signed
    /// when one is at hand).
    public static func requiresSignature(_ kind: EventKind, _ data: EventData, config: RolloutConfig) -> Bool {
        guard config.identity == .signed, isDecision(kind, data, config: config) else { return false }
        return !isLever(kind, data)
    }

    /// The records of the emergency levers, which never wait for a key.
    public static func isLever(_ kind: EventKind, _ data: EventData) -> Bool {
        switch kind {
        case .canaryHeld: return true
        case .canaryTransitionStarted, .canaryTransitionDone, .canaryTransitionFailed, .canaryOutcomeUnknown:
            return data.transition?.action == "rollback"
        default: return false
        }
    }
}
