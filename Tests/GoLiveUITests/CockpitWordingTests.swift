import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// Issue 28, point 2: a refusal carries its remedy as data; the cockpit words it in keys and
/// fields, the CLI in flags, and no front end reads or rewrites the core's sentences.
@Suite struct CockpitWordingTests {
    static let alice = Actor(operatorID: "alice", osUser: "t", session: "s")

    @Test func aMissingReasonIsARemedyTheCockpitWordsAsItsField() throws {
        let store = try UIFixtures.store()
        let cockpit = Cockpit(store: store, clock: .fixed(UIFixtures.now))
        var thrown: (any Error)?
        do {
            _ = try cockpit.perform(.waive(id: "operations.oncall_owner", reason: " ", expires: UIFixtures.now.addingTimeInterval(3600)), as: Self.alice)
        } catch { thrown = error }
        let input = try #require(thrown as? InputError)
        #expect(input.message == "a waiver needs a reason")
        #expect(input.remedies == [.fillIn(.reason(example: "…"))])
        let said = try #require(CockpitApp.describe { throw input })
        let s = Reducer.reduce(try UIFixtures.state(), .performed(success: "", failure: said)).0
        let shown = try #require(s.message?.text)
        #expect(shown == "a waiver needs a reason; fill in the reason field", "shown: \(shown)")
    }

    @Test func anUnknownOutcomeIsReconciledWithTheCanaryPanelsKey() throws {
        let s = try UIFixtures.canary(ready: true, approvedBy: "bob") { c in
            UIFixtures.atOnePercent(&c)
            c.pending = CanaryTransition(id: "c9", action: "advance", from: "1%", to: "5%", stage: .canary, step: 1, exposurePct: 4.8,
                                         cohort: ["a", "b"], hook: "scripts/set-weight.sh", reason: nil)
            c.pendingUnknown = true
        }
        guard case let .refuse(refusal) = CanaryEngine.decide(.approve(note: ""), actor: "carol", readiness: s.dashboard.readiness) else {
            Issue.record("an approval past an unknown outcome was accepted"); return
        }
        #expect(refusal.remedies == [.reconcileTheCanary])
        #expect(!refusal.reason.contains("--") && !refusal.reason.contains("golive "), "the core's sentence names no CLI: \(refusal.reason)")
        let shown = Reducer.reduce(s, .performed(success: "", failure: Failure(refusal))).0.message?.text ?? ""
        #expect(shown.hasSuffix("reconcile it first; check the router, then press U in the canary panel"), "shown: \(shown)")
    }

    /// Every remedy has cockpit words, and the ones a cockpit can act on name no flag: the switch
    /// is exhaustive, so a new remedy cannot reach a screen unworded.
    @Test func remediesTheCockpitActsOnNameItsKeysNotFlags() {
        let actedHere: [Remedy] = [.fillIn(.reason(example: "x")), .fillIn(.note(example: "x")), .reconcileTheCanary,
                                   .askForApproval(approvers: ["bob"], breakGlass: false), .addYourKeyToTheAgent, .lookBack]
        for remedy in actedHere {
            let words = CockpitWording.words(remedy)
            #expect(!words.isEmpty && !words.contains("--") && !words.contains("golive "), "\(remedy): \(words)")
        }
    }

    /// The guard behind the words: the core's refusals, in the layers the cockpit reaches, name
    /// no flag of the CLI. A flag written into one would reach the screen unworded.
    @Test func theCoresRefusalsNameNoFlag() throws {
        let core = UIFixtures.repoRoot.appendingPathComponent("Sources/GoLiveCore")
        // Inputs only the CLI can give (init, wait, export files, the store's address).
        let cliOnly = ["Journal/StoreSetup.swift", "Canary/WaitTarget.swift", "Audit/AuditSigning.swift", "Config/RolloutConfigParser.swift"]
        let refusal = try NSRegularExpression(pattern: #"(Refusal|\.refuse|InputError)\(.*[ "(`]--[a-z]"#)
        var found: [String] = []
        for case let url as URL in FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(core.path.count + 1))
            guard !cliOnly.contains(relative) else { continue }
            for (n, line) in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let text = String(line)
                if refusal.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { found.append("\(relative):\(n + 1)") }
            }
        }
        #expect(found.isEmpty, "a refusal names a CLI flag; give it a Remedy instead: \(found)")
    }
}
