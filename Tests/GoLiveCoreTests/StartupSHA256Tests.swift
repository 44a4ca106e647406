import Foundation
import Testing
import GoLiveTestSupport
@testable import GoLiveCore

/// The plain-Swift SHA-256 a command uses for its agent's socket name gives the digest
/// swift-crypto gives, at every length around a block's edges.
@Suite struct StartupSHA256Tests {
    @Test func itIsSHA256() {
        #expect(StartupSHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(StartupSHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var random = SeededGenerator(seed: 30)
        for length in Array(0...130) + [200, 255, 256, 1_000, 4_097] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(StartupSHA256.hex(bytes) == Digest.sha256Hex(bytes), "at \(length) bytes")
        }
    }

    @Test func theAgentsSocketIsNamedByIt() {
        let socket = CacheFolder.agentSocket(folderStore: "/srv/rollouts/support-copilot/.golive", variable: { $0 == "GOLIVE_CACHE" ? "/cache" : nil })
        #expect(socket == "/cache/agents/" + Digest.sha256Hex(Array("/srv/rollouts/support-copilot/.golive".utf8)).prefix(32) + ".sock")
    }
}
