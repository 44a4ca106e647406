import Foundation

/// The audit report a compliance reader can follow. Written in several streaming passes (each
/// section reads the journal again) so memory does not grow with the journal.
enum MarkdownReport {
    static func cell(_ s: String) -> String {
        let clean = SafeText.sanitize(s)
        // Foundation's replacingOccurrences bridges through NSString: a quarter of a report's time.
        guard clean.utf8.contains(UInt8(ascii: "|")) else { return clean }
        var out = ""
        out.reserveCapacity(clean.utf8.count + 8)
        for c in clean { if c == "|" { out += "\\|" } else { out.append(c) } }
        return out
    }


    struct OpenSession {
        var info: SessionInfo?
        var operatorID: String
        var started: Date
    }

    /// Sessions are tracked while open only, so memory follows how many run at once, not the journal's length.
    static func sessionPass(_ store: Store, _ filter: ExportFilter, _ tail: Store.Tail, _ ended: (String, OpenSession, Event) throws -> Void) throws -> [(String, OpenSession)] {
        var open: [String: OpenSession] = [:]
        var order: [String] = []
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: [.sessionStarted, .sessionEnded]) { _, e in
            if e.kind == .sessionStarted {
                open[e.session] = OpenSession(info: e.data.session, operatorID: e.actor, started: e.ts)
                order.append(e.session)
            } else if let s = open.removeValue(forKey: e.session) {
                try ended(e.session, s, e)
            }
            if order.count > 4 * max(open.count, 64) { order = order.filter { open[$0] != nil } }
        }
        return order.compactMap { id in open[id].map { (id, $0) } }
    }

    static func write(store: Store, config: RolloutConfig?, tail: Store.Tail, filter: ExportFilter, sink: ByteSink, now: Date) throws -> Int {
        let (total, readiness) = try summary(store: store, filter: filter, tail: tail, sink: sink, config: config, now: now)
        try sessions(store: store, filter: filter, tail: tail, sink: sink)
        try decisions(store: store, filter: filter, tail: tail, sink: sink)
        try signOffs(store: store, filter: filter, tail: tail, sink: sink, readiness: readiness)
        try waivers(store: store, filter: filter, tail: tail, sink: sink, readiness: readiness, now: now)
        try configuration(store: store, filter: filter, tail: tail, sink: sink, readiness: readiness)
        try refusals(store: store, filter: filter, tail: tail, sink: sink)
        try exposureIncreases(store, filter, tail, sink)
        try canaryTransitions(store: store, filter: filter, tail: tail, sink: sink)
        try sink.write("\n## Chain\n\nHead `\(tail.last?.hash ?? Journal.genesis)` at seq \(tail.last?.seq ?? 0). Check the journal with `golive audit verify`; check a JSON Lines export of it with `golive audit verify FILE`.\n")
        try sink.flush()
        return total
    }

    /// The title, what the export covers, and the summary: counts, the gate now, identity, the canary's path.
    static func summary(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink, config: RolloutConfig?, now: Date) throws -> (total: Int, readiness: Readiness?) {
        // Pass 1: counts.
        var total = 0
        var kinds: [EventKind: Int] = [:]
        if filter.isEmpty {
            // Counting needs only each line's kind: no JSON decoding on the unfiltered path.
            if let fd = try SystemCall.openIfPresent(store.journalURL.path) {
                defer { SystemCall.closeFile(fd) }
                var reader = LineReader(fd: fd, path: store.journalURL.path, upTo: tail.completeSize)
                let marker = Array(#""kind":""#.utf8)
                try reader.forEachLine { line, _ in
                    total += 1
                    if let kind = AuditExporter.value(after: marker, in: line).flatMap(EventKind.init(rawValue:)) { kinds[kind, default: 0] += 1 }
                    return true
                }
            }
        } else {
            try AuditExporter.forEachLine(store, filter, upTo: tail) { _, e in
                total += 1
                kinds[e.kind, default: 0] += 1
            }
        }
        let abnormal = try sessionPass(store, filter, tail) { _, _, _ in }.count
        let name = config.map { "\($0.name) \($0.version)" } ?? store.directory.lastPathComponent
        try sink.write("# Audit report: \(cell(name))\n\n")
        try sink.write("Exported \(Timestamp.format(now)); journal at seq \(tail.last?.seq ?? 0), chain head `\(tail.last?.hash ?? Journal.genesis)`.\n")
        if !filter.isEmpty {
            var parts: [String] = []
            if let s = filter.session { parts.append("session \(s)") }
            if let s = filter.since { parts.append("since \(Timestamp.format(s))") }
            if let u = filter.until { parts.append("until \(Timestamp.format(u))") }
            try sink.write("Filtered to \(parts.joined(separator: ", ")).\n")
        }
        try sink.write("\n## Summary\n\n")
        try sink.write("- Events: \(total) (\(kinds[.itemSet, default: 0] + kinds[.itemEvidence, default: 0] + kinds[.itemWaived, default: 0]) item changes, \(kinds[.contourSignedOff, default: 0]) sign-offs, \(kinds[.actionRefused, default: 0]) refusals, \(kinds[.gateShown, default: 0]) verdicts shown)\n")
        try sink.write("- Sessions: \(kinds[.sessionStarted, default: 0])\(abnormal == 0 ? "" : ", \(abnormal) ended abnormally")\n")
        var readiness: Readiness?
        if let config, let state = try? store.loadState().state {
            let r = Readiness(config: config, state: state, now: now)
            readiness = r
            let v = Gate.evaluate(r)
            let why = v.reasons.joined(separator: ", ")
            try sink.write("- Final gate: **\(v.ready ? "READY" : "NOT READY")**\(v.ready ? "" : " — " + cell(why)) (policy sha256 `\(v.policySha256.prefix(16))`, state sha256 `\(v.stateSha256.prefix(16))`)\n")
            // Records the judge refused are in the journal, not in the state: named, never counted.
            for refused in state.refused.prefix(50) { try sink.write("- **UNTRUSTED: refused record** \(cell(refused.summary))\n") }
        }
        if let config {
            try sink.write(config.identity == .names
                ? "- Identity: **UNSIGNED** (identity: names): approvals and sign-offs are typed names, not verified by any key\n"
                : "- Identity: signed: each decision carries its operator's SSH signature; check them with `golive audit verify`\n")
            if let demo = config.demoWarning { try sink.write("- **\(cell(demo))**\n") }
        }
        var path: [String] = [], breakGlass: [String] = []
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: [.canaryTransitionDone, .canaryReconciled]) { _, e in
            guard let t = e.data.transition, e.kind == .canaryTransitionDone || e.data.applied == true else { return }
            if path.isEmpty { path.append(t.from) }
            path.append(t.to)
            if let why = t.breakGlass { breakGlass.append("seq \(e.seq) \(t.title) by \(e.actor): \(why)") }
        }
        try sink.write("- Canary path: \(path.isEmpty ? "planned (no canary transition recorded)" : cell(path.joined(separator: " → ")))\n")
        if !breakGlass.isEmpty {
            try sink.write("- **BREAK-GLASS** (exposure increased outside the release calendar): \(cell(breakGlass.joined(separator: "; ")))\n")
        }
        return (total, readiness)
    }

    /// Every session, in the order they ended.
    static func sessions(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink) throws {
        try sink.write("\n## Sessions\n\nIn the order they ended; those with no end record last.\n\n| session | operator | OS user | host | started | ended | end | command |\n|---|---|---|---|---|---|---|---|\n")
        func row(_ id: String, _ s: OpenSession, _ ended: Date?, _ reason: String) throws {
            try sink.write("| `\(cell(id))` | \(cell(s.operatorID)) | \(cell(s.info?.osUser ?? "")) | \(cell(s.info?.host ?? "")) | \(Timestamp.format(s.started)) | \(ended.map(Timestamp.format) ?? "—") | \(cell(reason)) | \(cell(s.info?.command ?? "")) |\n")
        }
        let unended = try sessionPass(store, filter, tail) { id, s, e in try row(id, s, e.ts, e.data.reason ?? "ended") }
        for (id, s) in unended { try row(id, s, nil, "**ended abnormally**") }
    }

    /// The decisions, then every record.
    static func decisions(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink) throws {
        try sink.write("\n## Decisions\n\nOnly what changed the gate or the canary: results, evidence, waivers, sign-offs, configuration, canary moves. Each with the key that signed it (`golive audit verify` checks it).\n\n| seq | time | operator | event | detail | signed with |\n|---|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: Array(SignaturePolicy.decisionKinds)) { _, e in
            try sink.write("| \(e.seq) | \(Timestamp.format(e.ts)) | \(cell(e.actor)) | \(e.kind.rawValue) | \(cell(EventText.describe(e))) | \(keyCell(e)) |\n")
        }

        try sink.write("\n## Timeline\n\n| seq | time | operator | session | event | detail | signed with |\n|---|---|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, upTo: tail) { _, e in
            try sink.write("| \(e.seq) | \(Timestamp.format(e.ts)) | \(cell(e.actor)) | `\(cell(e.session))` | \(e.kind.rawValue) | \(cell(EventText.describe(e))) | \(keyCell(e)) |\n")
        }
    }

    /// Each sign-off and whether it stands now.
    static func signOffs(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink, readiness: Readiness?) throws {
        try sink.write("\n## Sign-offs\n\n| seq | contour | role | by | at | standing now |\n|---|---|---|---|---|---|\n")
        // Each contour's standing judged once, not once per sign-off record (issue 30: the export
        // was O(sign-off records × items)).
        let standings = readiness.map { r in Dictionary(uniqueKeysWithValues: Contour.allCases.map { ($0, r.signoffs(for: $0)) }) }
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: [.contourSignedOff]) { _, e in
            guard let contour = e.data.contour else { return }
            var standing = "—"
            if let standings {
                if let current = standings[contour]?.first(where: { $0.0.seq == e.seq }) {
                    standing = current.1 == .fresh ? "fresh" : "**STALE** (the contour changed after signing)"
                } else {
                    standing = "superseded by a later sign-off in this role"
                }
            }
            try sink.write("| \(e.seq) | \(contour.rawValue) | \(cell(e.data.role ?? "")) | \(cell(e.actor)) | \(Timestamp.format(e.ts)) | \(standing) |\n")
        }
    }

    /// Each waiver and whether it stands now.
    static func waivers(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink, readiness: Readiness?, now: Date) throws {
        try sink.write("\n## Waivers\n\n| seq | item | reason | by | at | expires | standing now |\n|---|---|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: [.itemWaived]) { _, e in
            let expires = e.data.expires.map(Timestamp.format) ?? "?"
            try sink.write("| \(e.seq) | \(cell(e.data.item ?? "")) | \(cell(e.data.reason ?? "")) | \(cell(e.actor)) | \(Timestamp.format(e.ts)) | \(expires) | \(waiverStanding(e, readiness, now: now)) |\n")
        }
    }

    /// Each adoption, what it changed, and who consented.
    static func configuration(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink, readiness: Readiness?) throws {
        try sink.write("\n## Configuration\n\nEvery configuration adopted, and by whom; each record holds the files' texts.\n\n| seq | by | at | configuration | files | reason |\n|---|---|---|---|---|---|\n")
        var changes: [String] = []
        var previous: [ConfigFile]?
        var consents: [String: [String]] = [:]
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: [.configAdopted, .configProposed, .configApproved]) { _, e in
            guard e.kind == .configAdopted else {
                if let digest = e.data.configSha256 { consents[digest, default: []].append("\(e.kind == .configProposed ? "proposed" : "approved") by \(e.actor) (seq \(e.seq))") }
                return
            }
            let files = (e.data.files ?? []).map { "\($0.path) `\($0.sha256.prefix(12))`" }.joined(separator: ", ")
            try sink.write("| \(e.seq) | \(cell(e.actor)) | \(Timestamp.format(e.ts)) | `\((e.data.configSha256 ?? "").prefix(16))` | \(cell(files)) | \(cell(e.data.reason ?? "")) |\n")
            if let before = previous, let after = e.data.files {
                changes.append(adoptionChange(seq: e.seq, by: e.actor, from: before, to: after, consents: consents[e.data.configSha256 ?? ""] ?? []))
            }
            previous = e.data.files
            consents = [:]
        }
        if !changes.isEmpty { try sink.write("\nWhat each adoption changed:\n\n" + changes.joined(separator: "\n")) }
        if let change = readiness?.configurationChange { try sink.write("\n**Now:** \(cell(change)).\n") }
    }

    /// Every refusal.
    static func refusals(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink) throws {
        try sink.write("\n## Refusals\n\n| seq | time | operator | command | reason |\n|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: [.actionRefused]) { _, e in
            try sink.write("| \(e.seq) | \(Timestamp.format(e.ts)) | \(cell(e.actor)) | \(cell(e.data.command ?? "")) | \(cell(e.data.reason ?? "")) |\n")
        }
    }

    /// Every canary record, with what the hook said.
    static func canaryTransitions(store: Store, filter: ExportFilter, tail: Store.Tail, sink: ByteSink) throws {
        try sink.write("\n## Canary transitions\n\nEvery traffic change, approval, hold and reconcile, with what the hook said.\n\n| seq | time | operator | event | detail |\n|---|---|---|---|---|\n")
        var canaryRows = 0
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: EventKind.allCases.filter { $0.rawValue.hasPrefix("canary.") }) { _, e in
            canaryRows += 1
            try sink.write("| \(e.seq) | \(Timestamp.format(e.ts)) | \(cell(e.actor)) | \(e.kind.rawValue) | \(cell(EventText.describe(e))) |\n")
        }
        if canaryRows == 0 { try sink.write("| — | | | | none recorded |\n") }
    }

    static func keyCell(_ e: Event) -> String {
        let key = AuditExporter.signerKey(e)
        return key.isEmpty ? "—" : "`\(key)`" + (AuditExporter.presenceWords(e).map { " (\($0))" } ?? "")
    }

    /// Whether a waiver is the one the item holds now, and whether it still counts.
    static func waiverStanding(_ e: Event, _ r: Readiness?, now: Date) -> String {
        guard let r, let id = e.data.item, let expires = e.data.expires else { return "—" }
        let current = r.state.item(id)
        guard let w = current.waiver, w.by == e.actor, w.at == e.ts, current.status == .waived else {
            return current.waiver.map { "replaced by \(cell($0.by))'s waiver of \(Timestamp.format($0.at))" } ?? "replaced or lifted (the item is \(current.status.word) now)"
        }
        return expires <= now ? "**expired** (the item counts as open)" : "in force until \(Timestamp.format(expires))"
    }

    /// One adoption as an auditor reads it: what it loosens, the roster's keys by fingerprint,
    /// who consented, and the lines that changed in each file.
    static func adoptionChange(seq: Int, by: String, from old: [ConfigFile], to new: [ConfigFile], consents: [String]) -> String {
        var out = "- **seq \(seq)**, adopted by \(cell(by))\(consents.isEmpty ? "" : "; " + cell(consents.joined(separator: ", ")))\n"
        if let was = try? RolloutConfigParser.inForce(files: old), let now = try? RolloutConfigParser.inForce(files: new) {
            let loosened = Loosening.changes(from: was, to: now)
            out += loosened.isEmpty ? "  - loosens nothing the canary rests on\n" : "  - loosens: \(cell(loosened.joined(separator: "; ")))\n"
            let before = Set(was.team.flatMap { m in m.keys.map { "\(m.id) \($0.fingerprint)" } })
            let after = Set(now.team.flatMap { m in m.keys.map { "\(m.id) \($0.fingerprint)" } })
            for added in after.subtracting(before).sorted() { out += "  - key added: \(cell(added))\n" }
            for removed in before.subtracting(after).sorted() { out += "  - key removed: \(cell(removed))\n" }
        }
        for entry in ConfigDiff(adopted: old, onDisk: new).entries {
            out += "  - \(cell(entry.path)) \(entry.change.rawValue)\n"
            for line in entry.lines.prefix(40) { out += "    - `\(cell(line).replacingOccurrences(of: "`", with: "'"))`\n" }
            if entry.lines.count > 40 { out += "    - … \(entry.lines.count - 40) more lines (the records hold both texts)\n" }
        }
        return out
    }

    /// One row per exposure increase: who asked, who approved (role and key), the state the
    /// approvals were bound to, and what the hook said.
    static func exposureIncreases(_ store: Store, _ filter: ExportFilter, _ tail: Store.Tail, _ sink: ByteSink) throws {
        try sink.write("\n## Exposure increases\n\n| seq | step | requested by | approved by (role, key, state bound to) | cohort | outcome |\n|---|---|---|---|---|---|\n")
        var approvals: [String: [(String, String)]] = [:]
        var started: [String: Event] = [:]
        var rows = 0
        let kinds: [EventKind] = [.canaryApproved, .canaryTransitionStarted, .canaryTransitionDone, .canaryTransitionFailed, .canaryOutcomeUnknown, .canaryReconciled]
        try AuditExporter.forEachLine(store, filter, upTo: tail, kinds: kinds) { _, e in
            let d = e.data
            switch e.kind {
            case .canaryApproved:
                guard let from = d.from, let to = d.to else { return }
                let key = AuditExporter.signerKey(e)
                approvals["\(from)→\(to)", default: []].removeAll { $0.0 == e.actor }
                approvals["\(from)→\(to)", default: []].append((e.actor, "\(e.actor) (\(d.role ?? "?")\(key.isEmpty ? "" : ", `\(key)`")\(AuditExporter.presenceWords(e).map { ", \($0)" } ?? "")) at state `\((d.stateSha256 ?? "").prefix(12))`"))
            case .canaryTransitionStarted:
                guard let t = d.transition, t.action == "advance" else { return }
                started[t.id] = e
            default:
                guard let t = d.transition, let request = started[t.id] else { return }
                if e.kind == .canaryReconciled, d.applied == nil { return }
                let outcome = e.kind == .canaryTransitionDone ? "applied (\(d.hook?.summary ?? "no hook"))"
                    : e.kind == .canaryReconciled ? "reconciled as \(d.applied == true ? "applied" : "not applied")" : "\(e.kind.rawValue): \(d.hook?.summary ?? "")"
                let approvers = approvals["\(t.from)→\(t.to)"] ?? []
                try sink.write("| \(request.seq) | \(t.title) (\(Format.percent(t.exposurePct))) | \(cell(request.actor))\(t.breakGlass.map { " **BREAK-GLASS**: \(cell($0))" } ?? "") | \(cell(approvers.map(\.1).joined(separator: "; "))) | \(cell(t.cohort.joined(separator: ", "))) | \(cell(outcome)) |\n")
                rows += 1
                if e.kind != .canaryOutcomeUnknown { started[t.id] = nil; approvals["\(t.from)→\(t.to)"] = nil }
            }
        }
        if rows == 0 { try sink.write("| — | | | | | none recorded |\n") }
    }
}
