import Foundation

/// What a person saw when they confirmed a change: the core carries the change out only if it is
/// still so under the lock, else refuses with "changed since you looked" and what is there now.
/// A dialog open for a minute, or a script's `--expect-stage`, cannot do a different change from
/// the one shown.
public struct SeenState: Sendable, Equatable {
    /// The canary's stage as shown ("planned", "shadow", "1%", "held at 1%" …).
    public var stage: String?
    /// The step an advance was shown to go to.
    public var target: String?
    /// The tenants an advance was shown to expose (smallest first when none were named).
    public var cohort: [String]?
    /// The revision of the item a form was opened on (0: never changed).
    public var itemRevision: Int?
    /// The verdict's state hash an approval was shown to bind to.
    public var verdictState: String?
    /// The digest of the contour a sign-off form was opened on (what the sign-off binds to).
    public var contourHash: String?

    public init(stage: String? = nil, target: String? = nil, cohort: [String]? = nil, itemRevision: Int? = nil,
                verdictState: String? = nil, contourHash: String? = nil) {
        self.stage = stage
        self.target = target
        self.cohort = cohort
        self.itemRevision = itemRevision
        self.verdictState = verdictState
        self.contourHash = contourHash
    }

    /// What the canary panel shows now, for a dialog about `action`.
    public static func canary(_ action: CanaryAction, _ overview: CanaryOverview) -> SeenState {
        switch action {
        case let .advance(cohort, _):
            return SeenState(stage: overview.label, target: overview.next?.to, cohort: cohort ?? overview.proposedCohort?.tenants)
        default:
            return SeenState(stage: overview.label)
        }
    }

    /// Why `command` is no longer the change that was shown, or nil when it still is.
    func mismatch(_ command: Command, _ r: Readiness) -> String? {
        switch command {
        case let .canary(action):
            let now = CanaryOverview(r)
            let current = SeenState.canary(action, now)
            var changed: [String] = []
            if let stage, stage != current.stage { changed.append("the canary is \(now.label) at \(Format.percent(now.exposurePct)), not \(stage)") }
            if let target, target != current.target {
                changed.append(current.target.map { "the next step is \($0), not \(target)" } ?? "there is no next step")
            }
            if let verdictState, case .approve = action {
                let now = Gate.evaluate(r).stateSha256
                if !now.hasPrefix(verdictState) { changed.append("the state an approval binds to is \(now.prefix(12)), not \(verdictState.prefix(12)) (a result, waiver, sign-off or the configuration changed)") }
            }
            if let cohort, cohort != current.cohort {
                changed.append("the cohort would be \(current.cohort.map { $0.isEmpty ? "no tenant" : $0.joined(separator: ", ") } ?? "none"), not \(cohort.isEmpty ? "no tenant" : cohort.joined(separator: ", "))")
            }
            return changed.isEmpty ? nil : "changed since you looked: \(changed.joined(separator: "; ")). Nothing was done; look again and confirm what is there now"
        case let .setItem(id, _, _, _), let .addEvidence(id, _, _), let .waive(id, _, _), let .recordProbe(id, _):
            guard let itemRevision else { return nil }
            let s = r.state.item(id)
            guard s.revision != itemRevision else { return nil }
            let who = [s.updatedBy.map { "by \($0)" }, s.updatedAt.map { "at \(Timestamp.short($0))" }].compactMap { $0 }.joined(separator: " ")
            return "changed since you opened this: \(id) is now \(s.status.word) \(who)\(s.note.map { ": \($0)" } ?? ""). Nothing was done; look again and decide on what is there now"
        case let .signOff(contour, _, _):
            guard let contourHash, !r.contourHash(contour).hasPrefix(contourHash) else { return nil }
            // The item that moved last is what the person did not see.
            let moved = r.config.items(in: contour).map { ($0.id, r.state.item($0.id)) }.max { $0.1.revision < $1.1.revision }
            let what = moved.map { id, s in
                let who = [s.updatedBy.map { "by \($0)" }, s.updatedAt.map { "at \(Timestamp.short($0))" }].compactMap { $0 }.joined(separator: " ")
                return ": \(id) is now \(s.status.word) \(who)\(s.note.map { ": \($0)" } ?? "")"
            } ?? ""
            return "changed since you looked: \(contour.rawValue) changed\(what). Nothing was signed; look again and sign off what is there now"
        }
    }
}
