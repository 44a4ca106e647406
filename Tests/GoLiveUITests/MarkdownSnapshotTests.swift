import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

@Suite struct MarkdownSnapshotTests {
    /// The sample rollout after a scripted session (fixed clock, session and host), exported as Markdown.
    @Test func sampleRolloutReportAfterAScriptedSession() throws {
        let store = try UIFixtures.store()
        let t0 = Timestamp.parse("2026-11-29T09:00:00.000Z")!
        func session(_ op: String, _ n: Int, _ command: String) -> (Cockpit, Actor) {
            let id = "s-script\(n)"
            let info = SessionInfo(id: id, traceID: String(repeating: "ab", count: 16), operatorID: op, osUser: "ops", host: "release-box",
                                   pid: 4242, version: "test", command: command)
            return (Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(Double(n) * 60)), commandSession: info),
                    Actor(operatorID: op, osUser: "ops", session: id))
        }
        var (c, a) = session("carol", 1, "golive item observability.key_spans --pass")
        try c.perform(.setItem(id: "observability.key_spans", status: .passed, note: "planner spans in rc3", evidenceURL: nil), as: a)
        (c, a) = session("bob", 2, "golive item safety.no_gateway_bypass --note rescan")
        try c.perform(.addEvidence(id: "safety.no_gateway_bypass", text: "rescan clean", url: nil), as: a)
        (c, a) = session("dan", 3, "golive signoff ownership --role eval")
        #expect(throws: Refusal.self) { try c.perform(.signOff(contour: .ownership, role: "eval", note: ""), as: a) }
        (c, a) = session("alice", 4, "golive gate")
        let (verdict, _) = try c.gate()
        try c.recordShown(verdict, surface: "cli", as: a)
        // A cockpit that never ended its session (killed).
        let (k, ka) = session("alice", 5, "cockpit")
        try Cockpit(store: store, clock: k.clock).openSession(SessionInfo(id: ka.session, traceID: String(repeating: "cd", count: 16), operatorID: "alice",
                                                                          osUser: "ops", host: "release-box", pid: 4343, version: "test", terminal: "120x40", command: "cockpit"), as: ka)

        let url = TestFolder.file("report.md")
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = try AuditExporter.export(store: store, format: .md, filter: ExportFilter(), to: ByteSink(fd: fd, path: "export"), now: t0.addingTimeInterval(3600))
        close(fd)
        let md = try String(contentsOf: url, encoding: .utf8)
        #expect(md.contains("| `s-script5` | alice | ops | release-box |"))
        #expect(md.contains("**ended abnormally**"))
        #expect(md.contains("**STALE** (the contour changed after signing)"))
        #expect(md.contains("REFUSED signoff ownership --role eval"))
        #expect(md.contains("gate shown (cli): NOT READY"))
        // The sample journal's own sessions carry random ids and times; the snapshot keeps the scripted part.
        let scripted = md.split(separator: "\n").filter { !$0.hasPrefix("| `s-") || $0.contains("s-script") }
        Snapshot.check("audit-report-sample", scripted.joined(separator: "\n"))
    }
}
