import Foundation

extension Cockpit {
    /// Raises `alerts` (journaled first, once per key) and runs each route's command for them,
    /// then journals every delivery. Never throws and never undoes anything: the action that
    /// caused an alert is already journaled, and an alert that fails is journaled as not delivered.
    /// Returns what went wrong, for the operator's screen.
    func send(_ alerts: [RaisedAlert], config: RolloutConfig, actor: Actor) -> [String] {
        let routes = config.alertRoutes
        let wanted = alerts.filter { a in routes.contains { $0.receives(a.kind, about: a.contours) } }
        guard !wanted.isEmpty, !readOnly else { return [] }
        let raised: [Event]
        do {
            (_, raised) = try store.append(actor: actor, now: clock.now()) { state in
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
            for route in routes where route.receives(alert.kind, about: alert.contours) {
                let result = AlertHook.run(alert, raisedSeq: e.seq, route: route, store: store, config: config)
                var data = EventData(command: route.command, hook: result)
                data.alert = alert
                deliveries.append(EventDraft(.alertDelivered, data))
                if result.outcome != .applied { problems.append("alert \(alert.kind.rawValue) to \(route.command) not delivered: \(result.summary)") }
            }
        }
        do {
            try store.append(actor: actor, now: clock.now()) { _ in deliveries }
        } catch {
            problems.append("alert deliveries not journaled: \(ErrorReport.describe(error))")
        }
        return problems
    }
}
