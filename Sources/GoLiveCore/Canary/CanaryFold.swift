import Foundation

extension CanaryState {
    /// Folds one canary event. Transitions carry their target in full, so the fold needs no policy.
    mutating func apply(_ event: Event) {
        let d = event.data
        switch event.kind {
        case .canaryApproved:
            guard let from = d.from, let to = d.to, let state = d.stateSha256, let policy = d.policySha256 else { return }
            approvals.removeAll { $0.by == event.actor && $0.from == from && $0.to == to }
            approvals.append(CanaryApproval(by: event.actor, role: d.role ?? "", from: from, to: to, stateSha256: state,
                                            policySha256: policy, at: event.ts, seq: event.seq, note: d.note ?? "",
                                            key: event.sig.flatMap { try? SSHSignature(base64: $0) }?.publicKey.fingerprint,
                                            breakGlass: d.breakGlass))
        case .canaryTransitionStarted:
            pending = d.transition
            pendingSince = event.ts
            pendingUnknown = false
        // A hook's result counts only for its own transition: a late one (its transition was
        // reconciled or replaced meanwhile) must never settle another.
        case .canaryTransitionDone:
            guard let t = d.transition ?? pending, isPending(t) else { return }
            lastHook = d.hook ?? lastHook
            arrive(t, at: event.ts)
        case .canaryTransitionFailed:
            guard isPending(d.transition) else { return }
            pending = nil
            pendingUnknown = false
            lastHook = d.hook ?? lastHook
        case .canaryOutcomeUnknown:
            guard isPending(d.transition) else { return }
            pendingUnknown = true
            lastHook = d.hook ?? lastHook
        case .canaryReconciled:
            guard let t = pending else { return }
            if d.applied == true { arrive(t, at: event.ts) } else { pending = nil; pendingUnknown = false }
        case .alertRaised:
            guard let key = d.alert?.key else { return }
            alerted = (alerted ?? []) + [key]
        case .canaryHeld:
            guard stage.isLive else { return }
            heldFrom = stage
            stage = .held
            holdReason = d.reason
            holdAuto = d.auto ?? false
        case .canaryResumed:
            guard stage == .held, let from = heldFrom else { return }
            stage = from
            heldFrom = nil
            holdReason = nil
            holdAuto = false
            stageSince = event.ts
        default:
            break
        }
    }

    /// Whether `t` is the transition in flight (journals older than transition ids name none).
    func isPending(_ t: CanaryTransition?) -> Bool {
        guard let t else { return pending != nil }
        return pending?.id == t.id
    }

    private mutating func arrive(_ t: CanaryTransition, at ts: Date) {
        if t.stage == .shadow { shadowSince = ts }
        stage = t.stage
        step = t.step
        exposurePct = t.exposurePct
        cohort = t.cohort
        stageSince = ts
        heldFrom = nil
        holdReason = nil
        holdAuto = false
        rollbackReason = t.stage == .rolledBack ? t.reason : nil
        breakGlass = t.breakGlass
        alerted = nil
        // Approvals name the step they were for; once traffic moved they are spent.
        approvals.removeAll()
        pending = nil
        pendingUnknown = false
        transitions += 1
    }
}
