import Foundation
import GoLiveCore

/// Plain-text renderings for the terminal. Every piece of user-written text goes through `safe`.
enum TextReports {
    /// `identity`: the identity of the configuration in force (adopted), which an unadopted edit
    /// on disk does not change.
    static func gate(_ v: GateVerdict, _ r: Readiness, identity: IdentityMode? = nil) -> String {
        let unsigned = ((identity ?? r.config.identity) == .names ? ["  UNSIGNED: identity: names — the approvals and sign-offs behind this verdict are typed names, not verified"] : [])
            + (r.config.demoWarning.map { ["  " + $0] } ?? [])
        return (GateReport.lines(v, rollout: "\(r.config.name) \(r.config.version)").map { safe($0.0) } + unsigned).joined(separator: "\n")
    }

    static func status(_ r: Readiness, _ v: GateVerdict, store: Store, loaded: Store.Loaded) -> String {
        // The identity in force is the adopted one: `identity: names` edited on disk and never
        // adopted leaves a rollout signed (and the warning below names the unadopted edit).
        let identity = r.configurationChange == nil ? r.config.identity : ((try? store.loadConfigForLevers())?.identity ?? r.config.identity)
        var out: [String] = []
        out.append("\(safe(r.config.name)) \(safe(r.config.version)) — store \(store.shown) · journal seq \(r.state.seq)")
        let canary = CanaryOverview(r)
        out.append("gate: \(v.ready ? "READY" : "NOT READY (\(v.reasonCount))")    canary: \(canary.label) \(Format.percent(canary.exposurePct)) (cap \(Format.percent(canary.capPct)))")
        for alert in canary.alerts { out.append("ALERT: \(safe(alert.text))") }
        if identity == .names {
            out.append("UNSIGNED: identity: names — approvals and sign-offs are typed names (--as), not verified by any key")
        }
        if let demo = r.config.demoWarning { out.append(safe(demo)) }
        if let untrusted = r.untrustedReason { out.append("\(r.notCurrent ? "NOT CURRENT" : "UNTRUSTED"): \(safe(untrusted))") }
        for lever in store.pendingLevers() { out.append("PENDING: \(safe(lever.summary))") }
        let unreadable = store.unreadablePendingLevers
        if unreadable > 0 {
            out.append("WARNING: \(unreadable) line(s) of \(store.directory.path)/pending-levers.jsonl are not levers this golive reads; kept, not shared")
        }
        if let change = r.configurationChange { out.append("WARNING: \(safe(change))") }
        if let proposal = r.pendingProposal { out.append("PROPOSED: \(safe(proposal))") }
        if !store.hasReserve && r.state.seq > 0 {
            out.append("WARNING: the store's disk reserve is used up (the disk was full): free space on its disk; the next write makes it again")
        }
        if let problem = loaded.snapshotProblem {
            out.append("WARNING: \(problem)")
        }
        if loaded.tail.tornBytes > 0 {
            out.append("WARNING: journal line \(loaded.tail.tornLine) is incomplete (torn write); writes are refused until `golive journal repair`")
        }
        out.append("")
        out.append(pad("contour", 16) + pad("done", 8) + pad("failed", 8) + pad("blockers", 10) + "sign-off")
        for c in Contour.allCases {
            let s = r.summary(c)
            let who = r.signoffs(for: c).map { "\($0.0.by) as \($0.0.role)\($0.1 == .stale ? " (stale)" : "")" }.joined(separator: ", ")
            let mark = s.openBlockers > 0 ? "!" : s.satisfied == s.total ? "✓" : " "
            out.append(pad("\(mark) \(c.title)", 16) + pad("\(s.satisfied)/\(s.total)", 8) + pad("\(s.failed)", 8)
                       + pad("\(s.openBlockers)", 10) + s.signoff.rawValue + (who.isEmpty ? "" : " — \(safe(who))"))
        }
        let blockers = ItemQuery(scope: .blockers).rows(r).map { item, a in
            "  \(a.status.glyph) \(pad(item.id, 40)) \(pad(a.standing.rawValue, 7)) owner \(pad(item.owner, 17)) \(safe(a.detail))"
        }
        if !blockers.isEmpty {
            out.append("")
            out.append("Open blockers (\(blockers.count)):")
            out += blockers
        }
        let weak = r.config.capabilities.filter { !$0.isProductionCapability }
        out.append("")
        out.append("Capabilities: \(r.config.capabilities.count) declared, \(r.config.capabilities.count - weak.count) pass the template")
        for cap in weak { out.append("  \(safe(cap.name)): \(cap.verdict)") }
        return out.joined(separator: "\n")
    }

    static func item(_ def: ItemDefinition, _ r: Readiness) -> String {
        let s = r.state.item(def.id)
        let a = r.assess(def)
        var out = [
            "\(def.id) — \(safe(def.title))",
            "  contour   \(def.contour.longTitle)",
            "  severity  \(def.severity.rawValue)    owner role \(safe(def.owner))",
            "  status    \(a.status.glyph) \(a.status.word) (\(a.standing.rawValue)): \(safe(a.detail))",
            "  why       \(safe(def.why))",
        ]
        if let by = s.updatedBy, let at = s.updatedAt { out.append("  updated   \(Timestamp.short(at)) by \(safe(by))") }
        if let w = s.waiver { out.append("  waiver    until \(Timestamp.short(w.expires)) by \(safe(w.by)): \(safe(w.reason))") }
        for e in s.evidence {
            out.append("  evidence  [\(e.kind)] \(safe(e.text))\(e.url.map { " <\(safe($0))>" } ?? "")\(e.sha256.map { " sha256:\($0.prefix(12))" } ?? "")")
        }
        if s.evidenceCount > s.evidence.count {
            out.append("            and \(s.evidenceCount - s.evidence.count) older evidence entries in the journal (golive audit export)")
        }
        return out.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
