import Foundation

/// Lines gathered for the fold, a few thousand at a time, with what each says of itself worked
/// out before the judge needs it: its header, who signed it and the record decoded. None of that
/// depends on the state, so a long fold (a rebuild, `audit verify`) prepares the next batch on
/// another core while this one is judged in order, each line's hash checked there: the two halves
/// of the work came out about even that way (issue 30). An Ed25519 check is tens of microseconds,
/// the rest of a record a few, so the signatures of a signed batch are checked on both cores besides.
final class FoldBatch: @unchecked Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var ranges: [Range<Int>] = []
    /// Filled by `prepare`, one per line.
    private(set) var heads: [Journal.LineHead?] = []
    private(set) var signers: [Result<SSHPublicKey?, any Error>] = []
    /// Each line's record, decoded; `unreadable` says why one could not be (a line that is no
    /// intact record is not decoded, and holds `Event.unread`).
    private(set) var events: [Event] = []
    private(set) var unreadable: [(any Error)?] = []
    /// Below this many signed lines one core checks them: a thread costs more than it saves.
    static let parallelFrom = 256
    static let size = 4096

    var count: Int { ranges.count }

    /// Below this many bytes a fold is read, prepared and judged on one thread: a write's few
    /// records, or another process's, are folded sooner than a thread starts.
    static let threadFrom = 4 << 20

    func add(_ line: UnsafeBufferPointer<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: line)
        ranges.append(start..<bytes.count)
    }

    /// The lines let go; what was prepared of them is let go by the next `prepare`, on the
    /// thread that made it: records freed on another thread than the one that decoded them cost
    /// glibc's malloc a third of the fold in locks and consolidation.
    func clear() {
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
    }

    /// Line `i`'s record, lent to `body` where it lies, so that the preparing thread frees it
    /// (a record handed over was freed on the judging thread, not the one whose malloc arena holds
    /// it). Swift still copies it before the judge's first call, which might write to the batch's
    /// memory as far as it can tell; moving it out and back (1,200 bytes each way) measured no
    /// better (ARCHITECTURE.md, tried and not kept).
    func withEvent<T>(_ i: Int, _ body: (borrowing Event) throws -> T) rethrows -> T {
        try events.withUnsafeBufferPointer { try body($0[i]) }
    }

    /// Line `i`'s signing key, handed over the same way (an outlined copy of each was 4% of a rebuild).
    func takeSigner(_ i: Int) -> Result<SSHPublicKey?, any Error> {
        var taken: Result<SSHPublicKey?, any Error> = .success(nil)
        swap(&taken, &signers[i])
        return taken
    }

    /// Line `i`'s header, handed over the same way (nil: not a record, or taken already).
    func takeHead(_ i: Int) -> Journal.LineHead? { heads[i].take() }

    func line<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[ranges[i]])) }
    }

    /// Each line's header, signing key (nil: unsigned, or why its signature does not stand) and
    /// record. A line that is no record of a format this golive reads is not decoded: the judge
    /// refuses it on its header.
    func prepare() {
        heads.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        unreadable.removeAll(keepingCapacity: true)
        // Each line's signature found once: to count them, and to check them.
        let signatures = bytes.withUnsafeBufferPointer { all in ranges.map { Journal.signature(of: UnsafeBufferPointer(rebasing: all[$0])) } }
        signers = signatures.count(where: { $0 != nil }) >= Self.parallelFrom ? {
            let (first, second) = BackgroundWork.inHalves(signatures.count) { Self.signers(signatures[$0]) }
            return first + second
        }() : Self.signers(signatures[...])
        heads.reserveCapacity(ranges.count)
        events.reserveCapacity(ranges.count)
        unreadable.reserveCapacity(ranges.count)
        bytes.withUnsafeBufferPointer { all in
            for range in ranges {
                let line = UnsafeBufferPointer(rebasing: all[range])
                let head = Journal.head(of: line)
                heads.append(head)
                // Its hash is checked by the judging thread, which had time to spare for it.
                if let head, head.version <= Journal.formatVersion {
                    do {
                        events.append(try Store.decode(line, agreeingWith: head))
                        unreadable.append(nil)
                        continue
                    } catch {
                        unreadable.append(error)
                    }
                } else {
                    unreadable.append(nil)
                }
                events.append(Event.unread)
            }
        }
    }

    static func signers(_ signatures: ArraySlice<(prefix: ArraySlice<UInt8>, base64: String)?>) -> [Result<SSHPublicKey?, any Error>] {
        signatures.map { signature in Result { try Journal.signingKey(signature) } }
    }
}

/// Where a fold's lines come from: the journal from one offset up to another, read a batch at a
/// time by whichever thread fills the batch.
final class FoldSource: @unchecked Sendable {
    private(set) var reader: LineReader
    private var position: Int
    private let upTo: Int
    private let batchSize: Int
    /// No line is left to read before `upTo`.
    private(set) var finished = false

    init(fd: Int32, path: String, from: Int, upTo: Int, batchSize: Int = FoldBatch.size) {
        reader = LineReader(fd: fd, path: path)
        position = from
        self.upTo = upTo
        self.batchSize = batchSize
    }

    /// Fills `batch` with the next lines, as many as a batch holds.
    func fill(_ batch: FoldBatch) throws {
        guard !finished else { return }
        var full = false
        try reader.forEachLine { line, _ in
            if position >= upTo { return false }
            position += line.count + 1
            batch.add(line)
            full = batch.count >= batchSize
            return !full
        }
        if !full { finished = true }
    }
}

/// The one thread that reads and prepares a long fold's batches, one at a time, for as long as
/// the fold lasts, while the fold's own thread judges the batch before: a thread per batch left
/// each batch's records to be freed in another malloc arena, and reading and copying the lines
/// on the judging thread kept the two halves uneven.
final class FoldPreparer: @unchecked Sendable {
    private let given = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let source: FoldSource
    private var batch: FoldBatch?
    private var failure: (any Error)?
    private var thread: BackgroundWork?

    init(_ source: FoldSource) {
        self.source = source
        thread = BackgroundWork { [unowned self] in
            while true {
                self.given.wait()
                guard let batch = self.batch else { return }
                do {
                    try self.source.fill(batch)
                    batch.prepare()
                } catch {
                    self.failure = error
                }
                self.done.signal()
            }
        }
    }

    /// Starts filling and preparing `batch`; `wait` before the next.
    func start(_ batch: FoldBatch) {
        self.batch = batch
        given.signal()
    }

    /// Returns once the batch started last is ready; throws what reading it threw.
    func wait() throws {
        done.wait()
        if let failure { throw failure }
    }

    /// Ends the thread; call once, with no batch started and not waited for.
    func stop() {
        batch = nil
        given.signal()
        thread?.wait()
    }
}
