import Foundation
import GoLiveCore

/// The canary panel's keys and dialogs. The screen only spells out the change and asks; the core
/// decides, both whether a form is worth opening and, when it is confirmed, whether it happens.
extension Reducer {
    static func canaryAction(_ action: Action, _ s: inout UIState) -> [Effect] {
        let d = s.dashboard, o = d.canary
        let ask: CanaryAction
        switch action {
        case .canaryApprove: ask = .approve(note: "")
        case .canaryResume: ask = .resume(reason: "-")
        case .canaryHold: ask = .hold(reason: "-")
        case .canaryShadow: ask = .enterShadow
        case .canaryAdvance: ask = .advance(cohort: nil)
        case .canaryRollback: ask = .rollback(reason: "-")
        case .canaryComplete: ask = .complete
        case .canaryReconcile: ask = .reconcile(applied: true, note: "")
        default: return []
        }
        // A form only for what the core would accept now. Otherwise the core is asked why, on
        // fresh state, and nothing is sent to be performed: a key never acts to find out.
        if s.readOnly {
            s.message = Message(text: "read-only cockpit: \(ask.name) is not offered", kind: .error)
            return []
        }
        if let refused = preflight(.canary(ask), s, now: o.now) { return refused }
        let hook = "hook " + (o.hook ?? "none (no hooks.transition in rollout.yaml)")
        switch ask {
        case .hold:
            s.dialog = .canaryHold(reason: TextField())
        case .enterShadow:
            let p = d.config.policy
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .shadow, title: "Enter shadow", lines: [
                "\(o.label) → shadow: mirrored traffic, 0% live exposure",
                "the first step (\(Format.percent(p.canary.steps.first ?? 0))) waits at least \(Format.duration(p.canary.minShadowMinutes * 60)) of shadow",
                hook,
            ], targets: ["shadow"]))
        case .approve:
            // What is signed is stated first: the step, its traffic and tenants, and the state it binds to.
            guard let next = o.next else { return [] }
            let v = d.verdict
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .approve, title: "Approve the next increase", lines: [
                "approve \(next.from) → \(next.to): \(Format.percent(o.exposurePct)) → \(o.proposedCohort.map { Format.percent($0.exposurePct) } ?? next.to) of traffic",
                o.proposedCohort.map { "\($0.tenants.count) tenant\($0.tenants.count == 1 ? "" : "s") (smallest first): \($0.tenants.joined(separator: ", "))" } ?? "no cohort: the tenants are chosen at the advance",
                "binds to: gate \(v.ready ? "READY" : "NOT READY") at seq \(v.journalSeq), state \(v.stateSha256.prefix(12)), policy \(v.policySha256.prefix(12))",
                "a result, waiver, sign-off or configuration change makes it stale; a note does not",
                "signed as \(d.operatorID)\(d.operatorKey.map { " with key \($0)" } ?? ""); approvals \(o.approvalsFresh.count)/\(o.approvalsNeeded)",
            ], targets: ["approve"]))
        case .advance:
            guard let next = o.next, let cohort = o.proposedCohort else { return [] }
            let mine = o.approvalsFresh.contains(d.operatorID) ? "" : " + yours by confirming"
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .advance, title: "Advance the canary", lines: [
                "exposure \(next.from) → \(next.to): \(Format.percent(o.exposurePct)) → \(Format.percent(cohort.exposurePct)) of traffic",
                "\(cohort.tenants.count) tenant\(cohort.tenants.count == 1 ? "" : "s") (smallest first): \(cohort.tenants.joined(separator: ", "))",
                hook,
                "approvals \(o.approvalsFresh.count)/\(o.approvalsNeeded)\(o.approvalsFresh.isEmpty ? "" : " (\(o.approvalsFresh.joined(separator: ", ")))")\(mine)",
            ], targets: [next.to]))
        case .rollback:
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .rollback, title: "Roll back the canary", lines: [
                "\(o.label) → rolled back: exposure \(Format.percent(o.exposurePct)) → 0%",
                o.cohort.isEmpty ? "no tenant is on the new version" : "\(o.cohort.count) tenant\(o.cohort.count == 1 ? "" : "s") return to the current version",
                hook,
            ], targets: ["rollback"], needsReason: true))
        case .resume:
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .resume, title: "Resume the canary", lines: [
                "\(o.label) → \(o.label.replacingOccurrences(of: "held at ", with: "")): exposure stays \(Format.percent(o.exposurePct))",
                "held: \(d.readiness.state.canary.holdReason ?? "no reason recorded")",
                "say why it is safe to go on: the report shows it beside the hold",
            ], targets: ["resume"], needsReason: true))
        case .complete:
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .complete, title: "Complete the canary", lines: [
                "\(o.label) → completed at \(Format.percent(o.exposurePct)) exposure",
                "traffic stays at \(Format.percent(o.exposurePct)) on the new version: GoLive moves no more traffic; going wider is your deploy system's step, outside this canary",
                hook,
            ], targets: ["complete"]))
        case .reconcile:
            guard let t = o.pending else { return [] }
            s.dialog = .canaryConfirm(CanaryConfirm(kind: .reconcile, title: "Reconcile an unknown outcome", lines: [
                "\(t.title) (exposure \(Format.percent(t.exposurePct)), \(t.cohort.count) tenants)",
                "hook: \(o.lastHook?.summary ?? "no result")",
                "check the router, say what you saw, then type applied or not applied",
            ], targets: ["applied", "not applied"], needsReason: true))
        default:
            break
        }
        // The dialog remembers what it shows; the core acts on the confirmation only if it still holds.
        if case var .canaryConfirm(c)? = s.dialog {
            c.expectation = SeenState.canary(ask, o)
            if case .approve = ask { c.expectation?.verdictState = d.verdict.stateSha256 }
            s.dialog = .canaryConfirm(c)
        }
        return []
    }

    /// The key that opens a dialog of this kind.
    static func action(opening kind: CanaryConfirm.Kind) -> Action {
        switch kind {
        case .shadow: return .canaryShadow
        case .approve: return .canaryApprove
        case .resume: return .canaryResume
        case .advance: return .canaryAdvance
        case .rollback: return .canaryRollback
        case .complete: return .canaryComplete
        case .reconcile: return .canaryReconcile
        }
    }

    static func canaryDialogKey(_ s: inout UIState, _ key: Key, _ c: CanaryConfirm) -> [Effect] {
        var c = c
        switch key {
        case .tab, .backTab, .up, .down:
            if c.reason != nil { c.focus = 1 - c.focus }
        case .pageUp: c.scroll = max(0, c.scroll - 5)
        case .pageDown: c.scroll = min(Int(Int32.max), c.scroll + 5)
        case .enter:
            if c.focus == 0 { c.focus = 1; break }
            if c.typed.text.trimmingCharacters(in: .whitespaces).isEmpty {
                // Cancel is the default: an empty confirmation changes nothing.
                s.dialog = nil
                s.message = Message(text: "cancelled: \(c.title.lowercased()) was not asked", kind: .info)
                return []
            }
            guard let target = c.matchedTarget() else {
                s.message = Message(text: "type \(c.targets.joined(separator: " or ")) exactly to confirm, or esc to cancel", kind: .error)
                break
            }
            let reason = c.reason?.text.trimmingCharacters(in: .whitespaces) ?? ""
            if c.reason != nil && reason.isEmpty {
                s.message = Message(text: "\(c.kind == .reconcile ? "a reconcile needs what you saw" : "a \(c.kind.rawValue) needs a reason")", kind: .error)
                c.focus = 0
                break
            }
            s.dialog = nil
            s.message = nil
            // Asked again on the new state if the core says it changed since the dialog opened.
            s.reask = c.kind
            let e = c.expectation
            switch c.kind {
            case .shadow: return [.performCanary(.enterShadow, success: "entered shadow", expecting: e)]
            case .approve:
                let o = s.dashboard.canary
                let what = o.next.map { "approved \($0.from) → \($0.to) as \(s.dashboard.operatorID), bound to state \((e?.verdictState ?? "").prefix(12))" } ?? "approved"
                return [.perform(.canary(.approve(note: "")), success: what, expecting: e)]
            case .advance: return [.performCanary(.advance(cohort: nil), success: "advanced to \(target)", expecting: e)]
            case .rollback: return [.performCanary(.rollback(reason: reason), success: "rolled back", expecting: e)]
            case .resume: return [.perform(.canary(.resume(reason: reason)), success: "canary resumed: \(reason)", expecting: e)]
            case .complete: return [.performCanary(.complete, success: "canary completed", expecting: e)]
            case .reconcile:
                let applied = target == "applied"
                return [.perform(.canary(.reconcile(applied: applied, note: reason)),
                                 success: "reconciled as \(applied ? "applied" : "not applied")", expecting: e)]
            }
        default:
            if c.focus == 0 { _ = c.reason?.handle(key) } else { _ = c.typed.handle(key) }
        }
        s.dialog = .canaryConfirm(c)
        return []
    }
}
