import Foundation

extension Cockpit {
    /// The alerts a command's records raise, sent; nothing is judged when no route would hear it.
    func alert(_ events: [Event], before: Readiness?, after: Readiness, config: RolloutConfig, actor: Actor) -> [String] {
        guard !config.alertRoutes.isEmpty else { return [] }
        return send(AlertDetector.raised(by: events, before: before, after: after, who: actor.operatorID), config: config, actor: actor)
    }

    /// Raises `alerts` (journaled first, once per key) and runs each route's command for them,
    /// then journals every delivery. Never throws and never undoes anything: the action that
    /// caused an alert is already journaled, and an alert that fails is journaled as not delivered.
    /// Returns what went wrong, for the operator's screen.
    func send(_ alerts: [RaisedAlert], config: RolloutConfig, actor: Actor) -> [String] {
        let routes = config.alertRoutes
        let wanted = alerts.filter { a in routes.contains { $0.receives(a.kind, about: a.contours) } }
        guard !wanted.isEmpty, !readOnly else { return [] }
        let raised: [Event]
        // Offline, only a lever writes, and its alerts page people all the same (on this machine's copy).
        let offline = store.offlineReason != nil
        do {
            (_, raised) = try store.append(actor: actor, now: clock.now(), settingAsideTornWrite: offline, seal: sealing(actor, config: config).1) { state in
                // Under the lock: two watching processes raise a timed alert once between them.
                let seen = Set(state.canary.alerted ?? [])
                return wanted.filter { $0.key.map { !seen.contains($0) } ?? true }.map { alert in
                    var data = EventData(reason: alert.reason)
                    data.alert = alert
                    return EventDraft(.alertRaised, data)
                }
            }
        } catch {
            return ["alerts not raised: \(ErrorReport.describe(error))"]
        }
        var problems: [String] = [], deliveries: [EventDraft] = []
        for e in raised {
            guard var alert = e.data.alert else { continue }
            if alert.seq == nil { alert.seq = e.seq }
            // Written once for every route; a payload that cannot be written is each route's failure.
            let payload = Result { try AlertHook.writePayload(alert, raisedSeq: e.seq, store: store) }
            for route in routes where route.receives(alert.kind, about: alert.contours) {
                let result: HookResult
                switch payload {
                case let .success(file): result = AlertHook.run(alert, payload: file, route: route, store: store, config: config)
                case let .failure(error):
                    result = HookResult(outcome: .failed, summary: "not sent: cannot write its payload: \(ErrorReport.describe(error))", seconds: 0)
                }
                var data = EventData(command: route.command, hook: result)
                data.alert = alert
                deliveries.append(EventDraft(.alertDelivered, data))
                if result.outcome != .applied { problems.append("alert \(alert.kind.rawValue) to \(route.command) not delivered: \(result.summary)") }
            }
        }
        do {
            try store.append(actor: actor, now: clock.now(), settingAsideTornWrite: offline, seal: sealing(actor, config: config).1) { _ in deliveries }
        } catch {
            problems.append("alert deliveries not journaled: \(ErrorReport.describe(error))")
        }
        return problems
    }
}
