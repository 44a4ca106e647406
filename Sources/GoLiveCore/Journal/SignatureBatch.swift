import Foundation

/// Lines gathered for the fold with their signatures checked on two cores: an Ed25519 check is
/// tens of microseconds, the rest of folding a record a few, so a rebuild (or `audit verify`) of a
/// signed journal is mostly this. The fold then judges the lines in order with the answers.
struct SignatureBatch {
    private(set) var bytes: [UInt8] = []
    private(set) var ranges: [Range<Int>] = []
    private var signed = 0
    /// Below this many signed lines one core checks them: a thread costs more than it saves.
    static let parallelFrom = 256
    static let size = 4096

    var count: Int { ranges.count }

    mutating func add(_ line: UnsafeBufferPointer<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: line)
        ranges.append(start..<bytes.count)
        if Journal.signature(of: line) != nil { signed += 1 }
    }

    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        signed = 0
    }

    func line<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[ranges[i]])) }
    }

    /// Each line's signing key (nil: unsigned) or why its signature does not stand.
    func signers() -> [Result<SSHPublicKey?, any Error>] {
        guard signed >= Self.parallelFrom else { return Self.check(bytes, ranges[...]) }
        let bytes = self.bytes, ranges = self.ranges
        let (first, second) = BackgroundWork.inHalves(ranges.count) { Self.check(bytes, ranges[$0]) }
        return first + second
    }

    static func check(_ bytes: [UInt8], _ ranges: ArraySlice<Range<Int>>) -> [Result<SSHPublicKey?, any Error>] {
        bytes.withUnsafeBufferPointer { all in
            ranges.map { range in Result { try Journal.signingKey(of: UnsafeBufferPointer(rebasing: all[range])) } }
        }
    }
}
