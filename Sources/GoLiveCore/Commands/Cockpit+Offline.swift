import Foundation

/// Hold and rollback when the shared store's server cannot be reached: they act on this machine
/// (a rollback runs the adopted hook), are written into its copy and kept as pending levers, and
/// are shared before anything else once the server answers again, with their time, the hook's
/// outcome and the outage they crossed.
extension Cockpit {
    @discardableResult
    public func perform(_ command: Command, as actor: Actor, expecting: SeenState? = nil) throws -> Outcome {
        guard store.shared != nil, !readOnly else { return try performHere(command, as: actor, expecting: expecting) }
        if store.offlineReason != nil { store.reconnect() }
        if store.offlineReason == nil {
            do {
                try sharePendingLevers()
                let outcome = try performHere(command, as: actor, expecting: expecting)
                keepWitnessCheckpoint(config: outcome.readiness.config, actor: actor)
                return outcome
            } catch let StoreError.unreachable(why) where command.isLever {
                store.workOffline(why)
            }
        }
        // Anything but a lever is refused by the store while it is offline.
        guard command.isLever, case let .canary(action) = command else { return try performHere(command, as: actor, expecting: expecting) }
        var lever = Store.PendingLever(id: "pending-" + Identity.randomHex(bytes: 6), action: action.name, reason: Self.leverReason(action),
                                       operatorID: actor.operatorID, osUser: actor.osUser, session: actor.session,
                                       host: ProcessInfo.processInfo.hostName, at: Timestamp.format(clock.now()),
                                       outage: store.offlineReason ?? "?", hook: nil, refused: nil)
        do {
            let outcome = try performHere(command, as: actor, expecting: expecting)
            lever.hook = outcome.hook
            // The alerts it raised were written into the copy after its own records.
            let after = outcome.events.last?.seq ?? outcome.state.seq
            let alerts = (try? store.recentEvents(limit: 64))?.filter { $0.seq > after && ($0.kind == .alertRaised || $0.kind == .alertDelivered) } ?? []
            if !alerts.isEmpty { lever.alerts = alerts.map { Store.PendingLever.Alert(kind: $0.kind, data: $0.data) } }
            try store.keepPendingLever(lever)
            return outcome
        } catch let refusal as Refusal {
            lever.refused = refusal.reason
            try store.keepPendingLever(lever)
            throw refusal
        }
    }

    /// This machine's checkpoint of the head its write left on the server (see Store+Witness).
    func keepWitnessCheckpoint(config: RolloutConfig, actor: Actor) {
        // The copy's head: after a write it is the server's (the write's alerts included). Read
        // from the copy, not the server: a checkpoint costs no round trip.
        guard store.offlineReason == nil, let head = try? store.tail().last else { return }
        var cp = Checkpoint(rollout: config.name, seq: head.seq, head: head.hash, time: clock.now())
        if case let .success(key)? = signingKey(for: actor.operatorID, config: config), key.unattended, let sig = try? key.sign(cp.payload) {
            cp.signer = actor.operatorID
            cp.sig = sig.base64
        }
        if let encoded = try? JSONCoding.encoder().encode(cp) { try? store.keepWitnessCheckpoint(encoded) }
    }

    static func leverReason(_ action: CanaryAction) -> String {
        switch action {
        case let .hold(reason), let .rollback(reason): return reason
        default: return ""
        }
    }

    /// Shares the levers made here while the server could not be reached, oldest first, each in
    /// one write onto the shared head: decided again on the shared journal as it now is (a hold
    /// of a canary already held is journaled as not applied), a rollback with the outcome of the
    /// hook that ran here rather than running it again. Returns what it shared, in words.
    @discardableResult
    public func sharePendingLevers() throws -> [String] {
        guard !store.pendingLevers().isEmpty, store.offlineReason == nil else { return [] }
        return try store.withPendingLeversLock { try sharePendingLeversNow() }
    }

    func sharePendingLeversNow() throws -> [String] {
        // Read again under the lock: another process of this machine may have shared them.
        let pending = store.pendingLevers()
        guard !pending.isEmpty else { return [] }
        let config = try store.loadConfigForLevers()
        var said: [String] = []
        for lever in pending {
            // Shared already, by a process killed before it could say so.
            if try store.recentEvents(limit: 500).contains(where: { $0.data.reason?.contains(lever.id) == true }) {
                try store.dropPendingLever(lever.id)
                continue
            }
            let now = clock.now()
            let actor = Actor(operatorID: lever.operatorID, osUser: lever.osUser, session: lever.session)
            let note = "\(lever.action) made on \(lever.host) at \(lever.at) while the shared store could not be reached (\(lever.outage)); shared at \(Timestamp.format(now)) [\(lever.id)]"
            var shared = ""
            let alerts = (lever.alerts ?? []).map { EventDraft($0.kind, $0.data) }
            try store.append(actor: actor, now: now, settingAsideTornWrite: true, seal: nil) { state in
                if let refused = lever.refused {
                    shared = "refused there"
                    return [EventDraft(.actionRefused, EventData(reason: "\(note): refused on that machine: \(refused)", command: "canary \(lever.action)"))]
                }
                let reason = "\(lever.reason) — \(note)"
                let command: Command = .canary(lever.action == "rollback" ? .rollback(reason: reason) : .hold(reason: reason))
                switch Self.decide(command, actor: actor, readiness: Readiness(config: config, state: state, now: now)) {
                case var .accept(drafts):
                    if let transition = Self.awaitingHook(drafts), config.transitionHook != nil {
                        var hook = lever.hook ?? HookResult(outcome: .unknown, summary: "", seconds: 0)
                        if lever.hook == nil { hook.summary = "the hook's result on \(lever.host) was not kept" }
                        let kind: EventKind = hook.outcome == .applied ? .canaryTransitionDone : hook.outcome == .unknown ? .canaryOutcomeUnknown : .canaryTransitionFailed
                        drafts.append(EventDraft(kind, EventData(transition: transition, hook: hook)))
                    }
                    shared = "applied"
                    return drafts + alerts
                case let .refuse(why):
                    shared = "not applied"
                    let hookText = lever.hook.map { "; its hook ran there: \($0.outcome.rawValue) — \($0.summary)" } ?? ""
                    return [EventDraft(.actionRefused, EventData(reason: "\(note); not applied to the shared journal: \(why.reason)\(hookText)", command: "canary \(lever.action)"))] + alerts
                }
            }
            try store.dropPendingLever(lever.id)
            said.append("shared the \(lever.action) \(lever.operatorID) made here at \(lever.at) while the server could not be reached (\(shared))")
        }
        return said
    }
}
