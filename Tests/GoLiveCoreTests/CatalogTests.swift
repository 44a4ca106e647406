import Foundation
import Testing
@testable import GoLiveCore

@Suite struct CatalogTests {
    /// The questions of the chapter's sections 4, 5, 7, 8 and 12, as written there.
    static let chapterQuestions: [(Contour, String)] = [
        (.runtime, "does the happy path pass"), (.runtime, "is the number of tool hops bounded"),
        (.runtime, "are empty / malformed inputs handled correctly"), (.runtime, "does the run behave safely when retrieval is empty"),
        (.runtime, "does the runtime fail safely on model failure"), (.runtime, "are foreground and background actions separated"),
        (.safety, "pre-checks and egress guardrails exist"), (.safety, "policy decisions are visible in traces"),
        (.safety, "high-risk actions really require approval"), (.safety, "direct access paths bypassing the gateway"),
        (.safety, "memory writes are constrained by policy"), (.safety, "multi-tenant boundaries were tested with realistic scenarios"),
        (.observability, "every run has a trace_id"), (.observability, "key spans already exist"),
        (.observability, "policy decisions and tool outcomes are visible"), (.eval_slo, "slos are defined"),
        (.eval_slo, "offline evals pass"), (.eval_slo, "the regression gate is documented"),
        (.eval_slo, "online monitoring is ready for the first rollout waves"),
        (.operations, "is there an on-call owner"), (.operations, "is alerting in place for slo burn and safety incidents"),
        (.operations, "is the manual fallback understood"), (.operations, "is the rollback procedure known"),
        (.operations, "is rollout blast radius bounded"), (.operations, "is there a runbook for common failures"),
        (.ownership, "is there a formal readiness gate"), (.ownership, "are owner and on-call clear for this rollout"),
        (.ownership, "will traces, policy decisions, and tool outcomes flow through telemetry"),
        (.ownership, "is there a canary/shadow phase"), (.ownership, "is there a rollback plan and blast-radius limit"),
        (.ownership, "were high-risk flows tested separately, not only the happy path"),
    ]

    static func words(_ s: String) -> Set<String> {
        Set(s.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "-" && $0 != "/" }).map(String.init))
            .subtracting(["is", "are", "do", "does", "there", "the", "a", "an", "no", "already", "yet", "really", "exist", "exists", "has", "have"])
    }

    @Test func everyChapterQuestionIsAnItemOfItsContour() {
        for (contour, question) in Self.chapterQuestions {
            let want = Self.words(question)
            let match = DefaultCatalog.items.first { $0.contour == contour && want.isSubset(of: Self.words($0.title)) }
            #expect(match != nil, "no item in \(contour.rawValue) asks: \(question)")
        }
    }

    @Test func section6TemplateIsTheCapabilityFieldsAndTheirItems() {
        #expect(CapabilityField.allCases.map(\.rawValue) == ["owner", "transport", "timeout", "retry_policy", "idempotency", "unknown_side_effect_path", "outcome_telemetry"])
        let derived = DefaultCatalog.items.filter { $0.contour == .capabilities }
        #expect(derived.count == 7)
        #expect(derived.allSatisfy { $0.derivedFromCapabilityField != nil })
    }

    @Test func idsAreUniqueAndEveryItemExplainsWhyItMatters() {
        let ids = DefaultCatalog.items.map(\.id)
        #expect(Set(ids).count == ids.count)
        for item in DefaultCatalog.items {
            #expect(item.id.hasPrefix(item.contour.rawValue + "."))
            #expect(item.why.count > 20, "\(item.id) lacks a why")
            #expect(!item.owner.isEmpty)
        }
        #expect(Set(DefaultCatalog.items.map(\.contour)) == Set(Contour.allCases))
    }

    @Test func capabilityMissingFieldsAreNamed() {
        let cap = Capability(name: "refund", fields: [.owner: "pay", .transport: "https"])
        #expect(!cap.isProductionCapability)
        #expect(cap.verdict == "a convenient integration, not a production capability (missing: timeout, retry_policy, idempotency, unknown_side_effect_path, outcome_telemetry)")
    }

    @Test func sanitiseTurnsEscapesIntoVisibleText() {
        let s = SafeText.sanitize("ok\u{1b}[2J\u{1b}]0;pwned\u{07}done")
        #expect(s == "ok\\e[2J\\e]0;pwned\\u{7}done")
        #expect(!s.unicodeScalars.contains { $0.value < 0x20 })
    }
}

@Suite struct TimestampTests {
    @Test func formatAndParseRoundTripExactly() throws {
        for t in [0.0, 1_790_000_000.123, 1_764_300_744.774, 951_782_400.5, 4_102_444_799.999, -86_400.25] {
            let d = Date(timeIntervalSince1970: t)
            let s = Timestamp.format(d)
            let back = try #require(Timestamp.parse(s))
            #expect(Timestamp.format(back) == s)
            #expect(abs(back.timeIntervalSince1970 - t) < 0.001)
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(Timestamp.parse("2026-11-28T03:30:00Z") == Date(timeIntervalSince1970: 1_795_836_600))
        #expect(Timestamp.parse("2026-13-28T03:30:00.000Z") == nil)
    }

    /// What a decision is made on is the time a reader folds back from the record: the system
    /// clock and a write's stamp are to the millisecond, the very Date `parse` returns.
    @Test func timeAsWrittenIsTheTimeReadBack() throws {
        var t = 1_790_000_000.0
        for step in 0..<2_000 {
            t += 0.000_37 * Double(step % 7) + 0.123_456_7
            let d = Date(timeIntervalSince1970: t)
            #expect(Timestamp.asWritten(d) == Timestamp.parse(Timestamp.format(d)), "\(t)")
        }
        let now = TimeSource.system.now()
        #expect(now == Timestamp.parse(Timestamp.format(now)))
    }

    @Test func userTimesAcceptDatesAndSpans() throws {
        let now = Date(timeIntervalSince1970: 1_795_836_600)
        #expect(try Timestamp.parseUserTime("7d", now: now) == now.addingTimeInterval(7 * 86_400))
        #expect(Timestamp.format(try Timestamp.parseUserTime("2026-12-31", now: now)) == "2026-12-31T23:59:59.000Z")
        #expect(throws: InputError.self) { try Timestamp.parseUserTime("next week", now: now) }
    }

    /// Integrity finding 10: these crashed the binary (SIGILL) or were read as another date.
    @Test func impossibleTimesAreBadInputNotACrashOrAnotherDay() throws {
        let now = Date(timeIntervalSince1970: 1_795_836_600)
        for text in ["1e300d", "1e308d", "infd", "nand", "-5d", "0d", "99999999h", "2026-02-30", "2026-04-31", "2026-12-31T25:00:00Z",
                     "2026-12-31T23:60:00Z", "2026-12-31T23:59:61Z", "2026-02-30T10:00:00.000Z"] {
            #expect(throws: InputError.self, "\(text) was accepted") { try Timestamp.parseUserTime(text, now: now) }
        }
        #expect(Timestamp.format(try Timestamp.parseUserTime("2028-02-29", now: now)) == "2028-02-29T23:59:59.000Z")
        #expect(Timestamp.format(try Timestamp.parseUserTime("2026-12-31T23:59:59Z", now: now)) == "2026-12-31T23:59:59.000Z")
        #expect(Timestamp.parse("2026-02-30T10:00:00.000Z") == nil)
    }
}

@Suite struct BundledFolderTests {
    /// Found from the source tree too, whichever folder this code lives in (a moved file once
    /// made the source-tree lookup point into Sources/).
    @Test func theSourceRootIsTheCheckout() throws {
        let root = try #require(BundledFolder.sourceRoot(of: BundledFolder.compiledFrom))
        #expect(root.standardizedFileURL == Fixtures.repoRoot.standardizedFileURL)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("sample-data/rollout.yaml").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("themes/dark.yaml").path))
        #expect(try SampleData.locate().standardizedFileURL == root.appendingPathComponent("sample-data").standardizedFileURL)
    }
}
