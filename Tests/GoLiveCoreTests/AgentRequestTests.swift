import Testing
@testable import GoLiveCore

/// What a command sends the store agent reads back as what was sent, and anything that is not
/// exactly one request is refused, never half-read.
@Suite struct AgentRequestTests {
    let request = AgentRequest(
        build: "2049:131077:155730352:1796641763.5 0.9.0",
        arguments: ["item", "runtime.happy_path", "--note", "ünïcode ✓, \"quoted\", a=b", "", "--store", "/srv/rollout/.golive"],
        environment: [("GOLIVE_OPERATOR", "alice"), ("EMPTY", ""), ("PATH", "/usr/bin:/bin"), ("GOLIVE_OPERATOR", "bob"), ("WITH_EQUALS", "k=v=w")],
        directory: "/home/alice/rollouts/support copilot")

    @Test func itReadsBackAsSent() {
        #expect(AgentRequest(bytes: request.bytes) == request)
        let bare = AgentRequest(build: "", arguments: [], environment: [], directory: "")
        #expect(AgentRequest(bytes: bare.bytes) == bare)
        #expect(bare.bytes.count == 16)
    }

    @Test func aLaterEntryOfANameWins() {
        #expect(request.variables["GOLIVE_OPERATOR"] == "bob")
        #expect(request.variables["WITH_EQUALS"] == "k=v=w")
        #expect(request.variables["EMPTY"] == "")
        #expect(request.variables.count == 4)
    }

    @Test func whatIsNotExactlyOneRequestIsRefused() {
        let bytes = request.bytes
        for cut in 0..<bytes.count { #expect(AgentRequest(bytes: Array(bytes.prefix(cut))) == nil, "cut at \(cut)") }
        #expect(AgentRequest(bytes: bytes + [0]) == nil)
        // A count far past what is left is refused before anything is made for it.
        #expect(AgentRequest(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) == nil)
        // A length past the end.
        #expect(AgentRequest(bytes: [0x7f, 0xff, 0xff, 0xff]) == nil)
        // Text that is not UTF-8 (the build's one byte is 0xff).
        var bad = AgentRequest(build: "x", arguments: [], environment: [], directory: "").bytes
        bad[4] = 0xff
        #expect(AgentRequest(bytes: bad) == nil)
        // The old JSON request (an agent of this build never gets one, but a client of another might send it).
        #expect(AgentRequest(bytes: Array(#"{"build":"x","arguments":["status"],"environment":{},"directory":"/"}"#.utf8)) == nil)
    }
}
