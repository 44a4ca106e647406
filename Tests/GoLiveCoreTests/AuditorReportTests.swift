import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 26, finding 7: the report left the auditor to piece things together: no diff for an
/// adoption (adding two signers and raising the cap looked alike), no signer key per decision,
/// no table per exposure increase, waivers without their standing, no decisions-only view.
@Suite struct AuditorReportTests {
    typealias People = SignedIdentityTests.People

    static func report(_ store: Store, format: ExportFormat = .md) throws -> String {
        let url = Fixtures.tempDir("report").appendingPathComponent("report")
        _ = try AuditExporter.export(store: store, format: format, filter: ExportFilter(), toFile: url, now: SignedIdentityTests.t0)
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func theReportAnswersTheAuditorsQuestions() throws {
        let p = try People.make()
        let store = try SignedIdentityTests.shadowStore(p)
        let alice = OneJudgeTests.cockpit(store, p.alice), bob = OneJudgeTests.cockpit(store, p.bob), carol = OneJudgeTests.cockpit(store, p.carol)
        try bob.perform(.canary(.approve(note: "safety ok")), as: Fixtures.actor("bob"))
        try carol.perform(.canary(.approve(note: "sre ok")), as: Fixtures.actor("carol"))
        try alice.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice"))
        // A loosening adoption: a cap raised and a signer added, approved by bob.
        let dave = try SSHTestKey.make("dave")
        try LooseningTests.edit(store, [("max_tenant_exposure_pct: 5", "max_tenant_exposure_pct: 8")])
        let rollout = store.rolloutURL
        let yaml = try String(contentsOf: rollout, encoding: .utf8)
        try yaml.replacingOccurrences(of: "team:\n", with: "team:\n  - {id: dave, roles: [sre], keys: [\"\(dave.publicLine)\"]}\n").write(to: rollout, atomically: true, encoding: .utf8)
        try Fixtures.adoptWithConsent("a wider cap and dave on the rota") { who in OneJudgeTests.cockpit(store, who == "alice" ? p.alice : p.bob) }

        let md = try Self.report(store)
        // The adoption as a readable diff: what loosened, the roster by fingerprint, the policy lines.
        #expect(md.contains("loosens: max_tenant_exposure_pct 5% → 8%"), "\(md)")
        #expect(md.contains("key added: dave \(try SSHPrivateKey(file: dave.privatePath).publicKey.fingerprint)"), "\(md)")
        #expect(md.contains("`-  max_tenant_exposure_pct: 5`") || md.contains("`-    max_tenant_exposure_pct: 5`"), "\(md)")
        #expect(md.contains("approved by bob"), "\(md)")
        // The signer key of every decision.
        let bobKey = try SSHPrivateKey(file: p.bob.privatePath).publicKey.fingerprint
        #expect(md.split(separator: "\n").contains { $0.contains("canary.approved") && $0.contains(bobKey) }, "no key beside bob's approval")
        // One table per exposure increase.
        let increases = try #require(md.range(of: "## Exposure increases"))
        let table = md[increases.upperBound...].prefix(1200)
        #expect(table.contains("shadow → 1%") && table.contains("alice") && table.contains("bob (safety") && table.contains("carol (sre") && table.contains("applied"), "\(table)")
        // A decisions-only timeline: no sessions, no shown verdicts.
        let decisions = try #require(md.range(of: "## Decisions"))
        let section = md[decisions.upperBound...].prefix { _ in true }.components(separatedBy: "\n## ").first ?? ""
        #expect(section.contains("canary.approved") && !section.contains("session.started") && !section.contains("gate.shown"))
        let csv = try Self.report(store, format: .csv)
        #expect(csv.hasPrefix("seq,time,session,operator,os_user,kind,item,contour,status,role,detail,signer_key,hash\n"))
        #expect(csv.split(separator: "\n").contains { $0.contains("canary.approved") && $0.contains(bobKey) })
    }

    @Test func waiversShowTheirStandingNow() throws {
        let store = try NoSilentOverwriteTests.store()
        let t0 = NoSilentOverwriteTests.t0
        let c = Cockpit(store: store, clock: .fixed(t0))
        try c.perform(.waive(id: "eval_slo.offline_evals", reason: "flaky runner", expires: t0.addingTimeInterval(86_400)), as: Fixtures.actor("alice"))
        try c.perform(.waive(id: "eval_slo.offline_evals", reason: "known issue", expires: t0.addingTimeInterval(2 * 86_400)), as: Fixtures.actor("bob"))
        try c.perform(.waive(id: "runtime.happy_path", reason: "short", expires: t0.addingTimeInterval(60)), as: Fixtures.actor("alice"))
        let url = Fixtures.tempDir("report").appendingPathComponent("r.md")
        _ = try AuditExporter.export(store: store, format: .md, filter: ExportFilter(), toFile: url, now: t0.addingTimeInterval(3600))
        let md = try String(contentsOf: url, encoding: .utf8)
        let rows = md.split(separator: "\n").filter { $0.contains("| flaky runner |") || $0.contains("| known issue |") || $0.contains("| short |") }
        #expect(rows.first { $0.contains("flaky runner") }?.contains("replaced") == true, "\(rows)")
        #expect(rows.first { $0.contains("known issue") }?.contains("in force") == true, "\(rows)")
        #expect(rows.first { $0.contains("| short |") }?.contains("expired") == true, "\(rows)")
    }
}
