import Foundation
import Testing
@testable import GoLiveCore
import GoLiveTestSupport

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

    /// A command reading every item's state faulted its heaps in 4 KB at a time (issue 30): each
    /// thread's heap is asked for huge pages as the thread starts, as the kernel records it.
    @Test func aThreadsHeapIsAdvisedToUseHugePages() throws {
        let flags = Locked<[String]?>(nil)
        BackgroundWork {
            guard let p = malloc(64) else { return }
            defer { free(p) }
            flags.withLock { $0 = ProcessMappings()?.holding(UInt(bitPattern: p))?.flags }
        }.wait()
        let found = try #require(flags.withLock { $0 }, "the mapping holding the thread's allocation is in /proc/self/smaps")
        #expect(found.contains("hg"), "VmFlags of the thread's heap: \(found)")
    }
}
