import Foundation

/// Everything the gate and the screens need to judge items: config, state and the time.
public struct Readiness: Sendable {
    public let config: RolloutConfig
    public let state: RolloutState
    public let now: Date

    public init(config: RolloutConfig, state: RolloutState, now: Date) {
        self.config = config
        self.state = state
        self.now = now
    }

    public func assess(_ item: ItemDefinition) -> Assessment {
        let s = state.item(item.id)
        if let waiver = s.waiver, s.status == .waived {
            if waiver.expires > now {
                return Assessment(status: .waived, standing: .satisfied, detail: "waived until \(Timestamp.short(waiver.expires)): \(waiver.reason)")
            }
            if item.derivedFromCapabilityField == nil {
                return Assessment(status: .waived, standing: .open, detail: "waiver expired \(Timestamp.short(waiver.expires))")
            }
        }
        if let field = item.derivedFromCapabilityField {
            if config.capabilities.isEmpty {
                return Assessment(status: .open, standing: .open, detail: "no capabilities declared in rollout.yaml")
            }
            let missing = config.capabilities.filter { $0.missingFields.contains(field) }.map(\.name)
            if missing.isEmpty {
                return Assessment(status: .passed, standing: .satisfied, detail: "all \(config.capabilities.count) capabilities declare \(field.rawValue)")
            }
            return Assessment(status: .failed, standing: .failed, detail: "missing in: " + missing.joined(separator: ", "))
        }
        switch s.status {
        case .passed:
            if let maxAge = item.probe?.maxAgeMinutes, let at = s.evidence.last?.at, now.timeIntervalSince(at) > Double(maxAge) * 60 {
                return Assessment(status: .passed, standing: .open, detail: "evidence from \(Timestamp.short(at)) is older than \(maxAge) min")
            }
            return Assessment(status: .passed, standing: .satisfied, detail: s.note ?? "passed")
        case .not_applicable:
            return Assessment(status: .not_applicable, standing: .satisfied, detail: "not applicable: \(s.note ?? "")")
        case .failed:
            return Assessment(status: .failed, standing: .failed, detail: s.note ?? "failed")
        case .open, .waived:
            if let last = s.evidence.last { return Assessment(status: .open, standing: .open, detail: "last note: \(last.text)") }
            return Assessment(status: .open, standing: .open, detail: "not checked yet")
        }
    }

    public func assess(id: String) -> Assessment? { config.item(id).map(assess) }

    /// A fingerprint of a contour's items (and, for capabilities, of rollout.yaml's capabilities):
    /// a sign-off is bound to it and goes stale when it changes.
    public func contourHash(_ contour: Contour) -> String {
        var text = contour.rawValue
        for item in config.items(in: contour).sorted(by: { $0.id < $1.id }) {
            let s = state.item(item.id)
            text += "|\(item.id):\(s.status.rawValue):\(s.revision)"
        }
        if contour == .capabilities {
            for cap in config.capabilities.sorted(by: { $0.name < $1.name }) {
                text += "|cap:\(cap.name)"
                for f in CapabilityField.allCases { text += ":\(cap.fields[f] ?? "")" }
                text += ":\(cap.highRisk):\(cap.directAccess)"
            }
        }
        return Digest.sha256Hex(Data(text.utf8))
    }

    public enum SignOffStanding: String, Sendable { case fresh, stale, missing }

    public func signoffs(for contour: Contour) -> [(SignOff, SignOffStanding)] {
        let hash = contourHash(contour)
        let allowed = Permissions(config).signOffRoles(contour)
        // Fresh while the contour is as it was signed, and the signer is still on the team, still
        // holds the role, and the policy still lets that role sign this contour.
        return state.signoffs.filter { $0.contour == contour }.map { signOff in
            let stillHolds = config.member(signOff.by)?.roles.contains(signOff.role) == true && allowed.contains(signOff.role)
            return (signOff, signOff.itemsHash == hash && stillHolds ? .fresh : .stale)
        }
    }

    public func signoffStanding(_ contour: Contour) -> SignOffStanding {
        let list = signoffs(for: contour)
        if list.contains(where: { $0.1 == .fresh }) { return .fresh }
        return list.isEmpty ? .missing : .stale
    }

    public struct ContourSummary: Sendable {
        public var contour: Contour
        public var total: Int
        public var satisfied: Int
        public var failed: Int
        public var openBlockers: Int
        public var signoff: SignOffStanding
    }

    public func summary(_ contour: Contour) -> ContourSummary {
        var sum = ContourSummary(contour: contour, total: 0, satisfied: 0, failed: 0, openBlockers: 0, signoff: signoffStanding(contour))
        for item in config.items(in: contour) {
            let a = assess(item)
            sum.total += 1
            switch a.standing {
            case .satisfied: sum.satisfied += 1
            case .failed: sum.failed += 1
            case .open: break
            }
            if item.severity == .blocker && a.standing != .satisfied { sum.openBlockers += 1 }
        }
        return sum
    }

    /// The state a verdict was computed on: the last readiness event and rollout.yaml's bytes.
    public var stateHash: String { Digest.sha256Hex(Data((state.readinessHead + ":" + config.sha256).utf8)) }
}
