import GoLiveCore

enum HeaderView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        let d = s.dashboard
        screen.fill(r, .header)
        let v = d.verdict
        // A gate read before the store went out of reach is not shown as the gate now.
        let gate = s.stale != nil ? " gate: ? STALE (seq \(d.readiness.state.seq)) " : v.ready ? " gate: ✓ READY " : " gate: ✗ NOT READY (\(v.reasonCount)) "
        let roles = d.operatorRoles.isEmpty ? "not in team" : d.operatorRoles.joined(separator: ", ")
        // A rollout of typed names says so wherever a name is shown as someone's decision.
        let who = (s.readOnly ? " READ-ONLY ·" : "") + (d.config.identity == .names ? " UNSIGNED ·" : "") + (d.config.demoKeyHolders.isEmpty ? "" : " DEMO ·") + (d.readiness.state.untrusted ? " UNTRUSTED ·" : "") + " \(d.operatorID) (\(roles)) "
        let c = d.canary
        let canary = "│ canary: \(c.label) \(Format.percent(c.exposurePct)) · cap \(Format.percent(c.capPct)) " + (c.breakGlass == nil ? "" : "BREAK-GLASS ")
        let window = c.windowShort.map { "│ \($0) " } ?? ""
        var name = " GoLive · \(d.config.name) \(d.config.version) "
        // Verdict and operator always show; the canary segment and then the name give way first.
        let fixed = Columns.width(gate) + 1 + Columns.width(SafeText.sanitize(who))
        let showCanary = Columns.width(name) + fixed + Columns.width(canary) <= r.width
        // The release window matters more than the rollout's full name, which gives way first.
        if !showCanary && Columns.width(name) + fixed > r.width || showCanary && Columns.width(name) + fixed + Columns.width(canary) + Columns.width(window) > r.width {
            name = " GoLive "
        }
        var x = r.x
        x += screen.put(x, r.y, name, .header)
        x += screen.put(x, r.y, "│", .header)
        x += screen.put(x, r.y, gate, v.ready && s.stale == nil ? .headerReady : .headerBlocked)
        if showCanary { x += screen.put(x, r.y, canary, .header) }
        let w = Columns.width(SafeText.sanitize(who))
        // The window's countdown gives way before the canary segment does.
        if showCanary, !window.isEmpty, x + Columns.width(window) + w <= r.maxX {
            x += screen.put(x, r.y, window, c.windowOpen ? .header : .headerBlocked)
        }
        if x + w <= r.maxX { screen.put(r.maxX - w, r.y, who, .header) }
    }
}
