import Foundation

/// The audit report a compliance reader can follow. Written in several streaming passes (each
/// section reads the journal again) so memory does not grow with the journal.
enum MarkdownReport {
    static func cell(_ s: String) -> String {
        SafeText.sanitize(s).replacingOccurrences(of: "|", with: "\\|")
    }

    struct SessionRow {
        var info: SessionInfo?
        var operatorID: String
        var started: Date
        var ended: Date?
        var reason: String?
        var events = 0
    }

    static func write(store: Store, config: RolloutConfig?, tail: Store.Tail, filter: ExportFilter, sink: ByteSink, now: Date) throws -> Int {
        // Pass 1: counts and sessions (one row per session, not per event).
        var total = 0
        var sessions: [String: SessionRow] = [:]
        var order: [String] = []
        var kinds: [EventKind: Int] = [:]
        try AuditExporter.forEachLine(store, filter) { _, e in
            total += 1
            kinds[e.kind, default: 0] += 1
            if sessions[e.session] == nil {
                sessions[e.session] = SessionRow(operatorID: e.actor, started: e.ts)
                order.append(e.session)
            }
            sessions[e.session]!.events += 1
            if e.kind == .sessionStarted { sessions[e.session]!.info = e.data.session }
            if e.kind == .sessionEnded {
                sessions[e.session]!.ended = e.ts
                sessions[e.session]!.reason = e.data.reason
            }
        }
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
        let abnormal = order.filter { sessions[$0]!.info != nil && sessions[$0]!.ended == nil }
        try sink.write("\n## Summary\n\n")
        try sink.write("- Events: \(total) (\(kinds[.itemSet, default: 0] + kinds[.itemEvidence, default: 0] + kinds[.itemWaived, default: 0]) item changes, \(kinds[.contourSignedOff, default: 0]) sign-offs, \(kinds[.actionRefused, default: 0]) refusals, \(kinds[.gateShown, default: 0]) verdicts shown)\n")
        try sink.write("- Sessions: \(order.count)\(abnormal.isEmpty ? "" : ", \(abnormal.count) ended abnormally")\n")
        var readiness: Readiness?
        if let config, let state = try? store.loadState().state {
            let r = Readiness(config: config, state: state, now: now)
            readiness = r
            let v = Gate.evaluate(r)
            let why = (v.unmet.map(\.name) + v.blocks.map { "block \($0.name)" } + v.signoffsMissing).joined(separator: ", ")
            try sink.write("- Final gate: **\(v.ready ? "READY" : "NOT READY")**\(v.ready ? "" : " — " + cell(why)) (policy sha256 `\(v.policySha256.prefix(16))`, state sha256 `\(v.stateSha256.prefix(16))`)\n")
        }
        try sink.write("- Canary path: planned (no canary transition recorded)\n")

        try sink.write("\n## Sessions\n\n| session | operator | OS user | host | started | ended | end | command |\n|---|---|---|---|---|---|---|---|\n")
        for id in order {
            let s = sessions[id]!
            let end: String
            if s.ended != nil { end = s.reason ?? "ended" } else if s.info != nil { end = "**ended abnormally**" } else { end = "(no session record)" }
            try sink.write("| `\(cell(id))` | \(cell(s.operatorID)) | \(cell(s.info?.osUser ?? "")) | \(cell(s.info?.host ?? "")) | \(Timestamp.format(s.started)) | \(s.ended.map(Timestamp.format) ?? "—") | \(cell(end)) | \(cell(s.info?.command ?? "")) |\n")
        }

        try sink.write("\n## Timeline\n\n| seq | time | operator | session | event | detail |\n|---|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter) { _, e in
            try sink.write("| \(e.seq) | \(Timestamp.format(e.ts)) | \(cell(e.actor)) | `\(cell(e.session))` | \(e.kind.rawValue) | \(cell(EventText.describe(e))) |\n")
        }

        try sink.write("\n## Sign-offs\n\n| seq | contour | role | by | at | standing now |\n|---|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, kinds: [.contourSignedOff]) { _, e in
            guard let contour = e.data.contour else { return }
            var standing = "—"
            if let r = readiness {
                if let current = r.signoffs(for: contour).first(where: { $0.0.seq == e.seq }) {
                    standing = current.1 == .fresh ? "fresh" : "**STALE** (the contour changed after signing)"
                } else {
                    standing = "superseded by a later sign-off in this role"
                }
            }
            try sink.write("| \(e.seq) | \(contour.rawValue) | \(cell(e.data.role ?? "")) | \(cell(e.actor)) | \(Timestamp.format(e.ts)) | \(standing) |\n")
        }

        try sink.write("\n## Waivers\n\n| seq | item | reason | by | at | expires |\n|---|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, kinds: [.itemWaived]) { _, e in
            let expires = e.data.expires.map { "\(Timestamp.format($0))\($0 < now ? " (expired)" : "")" } ?? "?"
            try sink.write("| \(e.seq) | \(cell(e.data.item ?? "")) | \(cell(e.data.reason ?? "")) | \(cell(e.actor)) | \(Timestamp.format(e.ts)) | \(expires) |\n")
        }

        try sink.write("\n## Refusals\n\n| seq | time | operator | command | reason |\n|---|---|---|---|---|\n")
        try AuditExporter.forEachLine(store, filter, kinds: [.actionRefused]) { _, e in
            try sink.write("| \(e.seq) | \(Timestamp.format(e.ts)) | \(cell(e.actor)) | \(cell(e.data.command ?? "")) | \(cell(e.data.reason ?? "")) |\n")
        }

        try sink.write("\n## Canary transitions\n\nNone recorded.\n")
        try sink.write("\n## Chain\n\nHead `\(tail.last?.hash ?? Journal.genesis)` at seq \(tail.last?.seq ?? 0). Check the journal with `golive audit verify`; check a JSON Lines export of it with `golive audit verify FILE`.\n")
        try sink.flush()
        return total
    }
}
