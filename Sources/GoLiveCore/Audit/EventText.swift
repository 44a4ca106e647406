import Foundation

/// Describes an event in one line for people (Markdown, CSV, the cockpit's timeline).
public enum EventText {
    public static func describe(_ e: Event) -> String {
        (e.data.automation == true ? "[automation] " : "") + text(e)
    }

    static func text(_ e: Event) -> String {
        let d = e.data
        switch e.kind {
        case .rolloutInitialized: return "rollout \(d.name ?? "") \(d.version ?? "") initialised (\(d.note ?? ""))"
        case .itemSet: return "\(d.item ?? "") → \(d.status?.word ?? "?")\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")\(d.evidence?.url.map { " <\($0)>" } ?? "")"
        case .itemEvidence: return "\(d.item ?? "") evidence: \(d.evidence?.text ?? "")\(d.evidence?.url.map { " <\($0)>" } ?? "")"
        case .itemWaived: return "\(d.item ?? "") waived until \(d.expires.map(Timestamp.format) ?? "?"): \(d.reason ?? "")"
        case .contourSignedOff: return "\(d.contour?.rawValue ?? "") signed off as \(d.role ?? "")\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .actionRefused: return "REFUSED \(d.command ?? ""): \(d.reason ?? "")"
        case .journalRepaired: return "journal repaired: \(d.note ?? "")"
        case .sessionStarted:
            let s = d.session
            return "session started: \(s?.command ?? "") on \(s?.host ?? "?") pid \(s?.pid ?? 0) golive \(s?.version ?? "?")\(s?.terminal.map { " terminal \($0)" } ?? "") trace \(s?.traceID ?? "")"
        case .sessionEnded: return "session ended: \(d.reason ?? "")"
        case .gateShown:
            guard let v = d.verdict else { return "gate shown" }
            let why = (v.unmet + v.blocks.map { "block \($0)" }).joined(separator: ", ")
            return "gate shown (\(v.surface)): \(v.ready ? "READY" : "NOT READY — \(why)")"
        case .canaryApproved:
            return "canary \(d.breakGlass == true ? "BREAK-GLASS " : "")approval \(d.from ?? "?") → \(d.to ?? "?") as \(d.role ?? "?") at state \((d.stateSha256 ?? "").prefix(12))\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .canaryTransitionStarted:
            return "canary \(transition(d.transition)) started\(d.transition?.breakGlass.map { " as BREAK-GLASS: \($0)" } ?? "")\(d.transition?.hook.map { "; running hook \($0)" } ?? "")"
        case .canaryTransitionDone: return "canary \(transition(d.transition)) done\(hook(d.hook))"
        case .canaryTransitionFailed: return "canary \(transition(d.transition)) NOT applied\(hook(d.hook))"
        case .canaryOutcomeUnknown: return "canary \(transition(d.transition)) OUTCOME UNKNOWN\(hook(d.hook)); advances blocked until reconciled"
        case .canaryReconciled:
            return "canary \(transition(d.transition)) reconciled as \(d.applied == true ? "applied" : "not applied")\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .canaryResultLate:
            return "canary \(transition(d.transition)) result arrived LATE (not counted: \(d.reason ?? "the transition was settled"))\(hook(d.hook))"
        case .canaryHeld: return "canary held\(d.auto == true ? " automatically" : ""): \(d.reason ?? "")"
        case .canaryResumed: return "canary resumed\((d.reason ?? d.note).map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .alertRaised: return "alert raised: \(d.alert?.kind.rawValue ?? "?") — \(d.alert?.reason ?? "")"
        case .alertDelivered:
            let ok = d.hook?.outcome == .applied
            return "alert \(d.alert?.kind.rawValue ?? "?") \(ok ? "delivered" : "NOT delivered") to \(d.command ?? "?")\(hook(d.hook))"
        case .whatIfAsked: return "what-if asked: \(d.note ?? "") → \(d.reason ?? "")"
        case .journalSetAside:
            let a = d.setAside
            return "refused records set aside: \(a?.records.count ?? 0) through seq \(a?.through ?? 0), kept in \(a?.file ?? "?") (sha256 \((a?.sha256 ?? "").prefix(12)))\(d.reason.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .configProposed:
            return "configuration \((d.configSha256 ?? "").prefix(12)) proposed (it loosens: \(d.note ?? "?"))\(d.reason.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .configApproved:
            return "proposed configuration \((d.configSha256 ?? "").prefix(12)) approved\(d.reason.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .configAdopted:
            let names = (d.files ?? []).map { "\($0.path) \($0.sha256.prefix(12))" }.joined(separator: ", ")
            return "configuration \((d.configSha256 ?? "").prefix(12)) adopted (\(names))\(d.reason.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        }
    }

    static func transition(_ t: CanaryTransition?) -> String {
        guard let t else { return "transition" }
        let who = t.cohort.isEmpty ? "" : ", \(t.cohort.count) tenant\(t.cohort.count == 1 ? "" : "s")"
        return "\(t.action) \(t.from) → \(t.to) (exposure \(Format.percent(t.exposurePct))\(who)\(t.reason.map { "; \($0)" } ?? ""))"
    }

    static func hook(_ h: HookResult?) -> String {
        guard let h else { return "" }
        return " — hook \(h.outcome.rawValue): \(h.summary)"
    }
}
