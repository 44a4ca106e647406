import Foundation
import Testing
@testable import GoLiveCore

/// The read ahead's thread: its work is done, and seen, once `wait` returns.
@Suite struct BackgroundWorkTests {
    @Test func waitReturnsOnceTheWorkIsDoneAndItsResultIsSeen() {
        let result = Locked<[Int]>([])
        let works = (0..<8).map { n in
            BackgroundWork {
                usleep(UInt32(2_000 * (8 - n)))
                result.withLock { $0.append(n) }
            }
        }
        for work in works { work.wait() }
        #expect(result.withLock { $0.sorted() } == Array(0..<8))
        works[0].wait()
        #expect(result.withLock { $0.count } == 8, "waiting again returns at once")
    }
}
