import Foundation
import Testing
@testable import GoLiveCore

/// The mutation check removes each guard by its exact text. Code that moves or is reworded
/// leaves an entry that finds nothing and so checks nothing: 16 had rotted so before issue 28's
/// Store split, and the split moved 27 more. Every run of the tests now says so at once.
@Suite struct MutationEntriesTests {
    @Test func everyGuardOfTheMutationCheckIsWrittenOnceInItsFile() throws {
        let script = Fixtures.repoRoot.appendingPathComponent("scripts/mutation-check.py").path
        let r = try ChildProcess.run(["python3", script, "--check-entries"], .init(stdout: .capture(limit: 1 << 20), stderr: .capture(limit: 1 << 16)))
        #expect(r.exitCode == 0, "\(r.stdout.text)\(r.stderr.text)")
    }
}
