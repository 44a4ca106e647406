import Foundation

/// SplitMix64: a tiny generator whose whole state is its seed, so a failing random test can be
/// replayed exactly with `GOLIVE_TEST_SEED=<seed> swift test --filter …`.
public struct SeededGenerator: RandomNumberGenerator {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The seed from GOLIVE_TEST_SEED, else a fresh one; the caller prints it.
    public static func seedFromEnvironment() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["GOLIVE_TEST_SEED"], let seed = UInt64(text) { return seed }
        var system = SystemRandomNumberGenerator()
        return system.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
