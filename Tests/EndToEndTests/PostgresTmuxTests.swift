// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import GoLiveTestSupport
import Testing

/// Two cockpits on one PostgreSQL store, as two operators on two machines, seen in real terminals.
@Suite struct PostgresTmuxTests {
    static func cockpit(_ machine: URL, _ url: String, as op: String) -> String {
        "env GOLIVE_CACHE='\(machine.path)' \(CLI.binary) --store '\(url)' --as \(op) --key \(PostgresStoreTests.keys.appendingPathComponent(op).path)"
    }

    @Test func aPassInOneCockpitShowsInTheOtherWithinASecondAndALostServerMakesItStale() throws {
        guard Tmux.require() else { return }
        // A server of this test's own, to stop and start again.
        let cluster = try TestPostgres.OwnCluster.start("pg-tmux")
        defer { cluster.stop() }
        let url = try TestPostgres.sampleRollout("tmux", on: cluster.url)
        let captain = Tmux(), sre = Tmux()
        try captain.start(width: 120, height: 40, command: Self.cockpit(CLI.tempDir("laptop-a"), url, as: "alice"))
        try sre.start(width: 120, height: 40, command: Self.cockpit(CLI.tempDir("laptop-b"), url, as: "carol"))
        try captain.wait(forText: "gate: ✗ NOT READY (4)")
        try sre.wait(forText: "gate: ✗ NOT READY (4)")
        #expect(try sre.screen().contains("carol (sre)"))

        // The captain passes observability.key_spans; the other cockpit shows it (how soon is
        // scripts/bench-postgres.py's figure; the deadline only keeps a hang from passing).
        try captain.keys("l", "l", "l")
        try captain.wait(forText: "Observability · observability")
        try captain.keys("j")
        try captain.wait(forText: "│ observability.key_spans")
        try captain.keys("Space")
        try captain.wait(forText: "Pass observability.key_spans")
        try captain.type("spans verified in rc3")
        try captain.wait(forText: "spans verified in rc3▏")
        try captain.keys("Enter")
        try captain.wait(for: "the pass, in the captain's cockpit") { $0.contains("✓ observability.key_spans passed") && $0.contains("gate: ✗ NOT READY (3)") }
        try sre.wait(for: "the pass, in the other cockpit", timeout: 5) { $0.contains("gate: ✗ NOT READY (3)") }

        // The server goes away: the other cockpit does not keep showing the gate as current.
        cluster.stop()
        let stale = try sre.wait(for: "the stale header", timeout: 10) { $0.contains("gate: ? STALE (seq") }
        #expect(!stale.contains("gate: ✗ NOT READY"))
        // It comes back: so does the gate, with what was written meanwhile by nobody (nothing lost).
        #expect(cluster.resume())
        try sre.wait(for: "the gate again", timeout: 15) { $0.contains("gate: ✗ NOT READY (3)") && !$0.contains("STALE") }
        try sre.keys("q")
        try sre.wait(forText: "GOLIVE-EXITED 0")
        try captain.keys("q")
        try captain.wait(forText: "GOLIVE-EXITED 0")
    }

    /// Issue 27, finding 6: with the network black-holed (nothing closed), the cockpit went on
    /// showing the gate as current for 100 s and more, and keys went unanswered. A heartbeat with a
    /// deadline makes it STALE within 2 s, and keys are answered meanwhile.
    @Test func aBlackHoledServerMakesTheCockpitStaleWithinTwoSecondsAndKeysAreStillAnswered() throws {
        guard Tmux.require() else { return }
        let url = try TestPostgres.sampleRollout("black-hole")
        let (proxy, proxied, out) = try PostgresStoreTests.proxy(to: url)
        defer { proxy.signal(SIGKILL); _ = proxy.wait() }
        let sre = Tmux()
        try sre.start(width: 120, height: 40, command: Self.cockpit(CLI.tempDir("laptop"), proxied.string!, as: "carol"))
        try sre.wait(forText: "gate: ✗ NOT READY (4)")
        proxy.signal(SIGUSR1)
        let deadline = Date().addingTimeInterval(5)
        while !((try? String(contentsOf: out, encoding: .utf8)) ?? "").contains("black hole") && Date() < deadline { usleep(10_000) }
        let frozenAt = Date()
        let stale = try sre.wait(for: "the stale header", timeout: 10) { $0.contains("gate: ? STALE (seq") }
        let shownAfter = Date().timeIntervalSince(frozenAt)
        #expect(shownAfter <= 2, "STALE showed \(shownAfter) s after the network froze")
        #expect(!stale.contains("gate: ✗ NOT READY"))
        // Keys are answered while the server is silent: the help opens and closes.
        try sre.keys("?")
        try sre.wait(for: "the help, while stale", timeout: 2) { $0.contains("Keys") || $0.contains("keys") }
        try sre.keys("Escape")
        // The network comes back: so does the gate.
        proxy.signal(SIGUSR2)
        try sre.wait(for: "the gate again", timeout: 30) { $0.contains("gate: ✗ NOT READY (4)") && !$0.contains("STALE") }
        try sre.keys("q")
        try sre.wait(forText: "GOLIVE-EXITED 0")
    }

    /// Issue 27, finding 7: behind PgBouncer in transaction pooling mode writes were correct, but
    /// the cockpit silently stopped following other machines (LISTEN hears nothing there). The
    /// heartbeat's head counts as a change: another machine's write still reaches the screen.
    @Test func behindPgBouncerInTransactionModeTheCockpitStillFollowsOtherMachines() throws {
        guard Tmux.require() else { return }
        let url = try TestPostgres.sampleRollout("bouncer")
        let (bounced, stop) = try TestPostgres.pgBouncer(inFrontOf: url)
        defer { stop() }
        let sre = Tmux()
        try sre.start(width: 120, height: 40, command: Self.cockpit(CLI.tempDir("laptop-b"), bounced, as: "carol"))
        try sre.wait(forText: "gate: ✗ NOT READY (4)")
        let pass = try PostgresStoreTests.on(CLI.tempDir("laptop-a"), ["item", "observability.key_spans", "--pass", "--note", "through the pooler"], bounced, as: "alice")
        #expect(pass.code == 0, "\(pass.err)")
        try sre.wait(for: "the other machine's pass", timeout: 5) { $0.contains("gate: ✗ NOT READY (3)") }
        try sre.keys("q")
        try sre.wait(forText: "GOLIVE-EXITED 0")
    }

    /// Issue 27, finding 4, in the cockpit: the server goes down under an open cockpit; its
    /// rollback acts here (the hook moves the router), the screen says it is not yet shared, and
    /// once the server answers the cockpit shares it, so another machine sees it.
    @Test func aRollbackInTheCockpitDuringAnOutageIsSharedWhenTheServerAnswers() throws {
        guard Tmux.require() else { return }
        let cluster = try TestPostgres.OwnCluster.start("pg-tmux-outage")
        defer { cluster.stop() }
        let url = try TestPostgres.rolloutInShadow("tmux-outage", on: cluster.url)
        let laptop = CLI.tempDir("laptop"), other = CLI.tempDir("other")
        try PostgresStoreTests.liveAtTheFirstStep(url, on: laptop)
        let t = Tmux()
        try t.start(width: 120, height: 40, command: Self.cockpit(laptop, url, as: "alice"))
        try t.wait(forText: "canary: at 1%")
        cluster.stop()
        try t.wait(for: "the stale header", timeout: 10) { $0.contains("gate: ? STALE") }
        try t.keys("c")
        try t.wait(forText: "[ 1% ]")
        try t.rollBack(reason: "the database and the canary both look wrong")
        let here = try t.wait(for: "the rollback, here", timeout: 20) { $0.contains("rolled back — hook applied") }
        _ = here
        try t.wait(for: "not yet shared", timeout: 5) { $0.contains("not yet shared") }
        let router = try String(contentsOf: try PostgresStoreTests.copy(on: laptop).appendingPathComponent("router.txt"), encoding: .utf8)
        #expect(router.contains("stage=rolled_back"), "\(router)")
        #expect(cluster.resume())
        try t.wait(for: "the screen current again", timeout: 20) {
            !$0.contains("STALE") && !$0.contains("NOT CURRENT") && !$0.contains("UNTRUSTED") && $0.contains("shared the rollback alice made here")
        }
        let status = try PostgresStoreTests.on(other, ["status"], url)
        #expect(!status.out.contains("UNTRUSTED") && !status.out.contains("NOT CURRENT"), "\(status.out)")
        let seen = try PostgresStoreTests.on(other, ["canary", "status"], url)
        #expect(seen.out.contains("rolled back") && seen.out.contains("the database and the canary both look wrong"), "\(seen.out)\(seen.err)")
        try t.keys("q")
        try t.wait(forText: "GOLIVE-EXITED 0")
    }
}
#endif
