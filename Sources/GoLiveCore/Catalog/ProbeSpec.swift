/// An automated check attached to an item (run by `golive probe run`).
public struct ProbeSpec: Codable, Sendable, Equatable {
    public var command: String
    public var arguments: [String]
    public var workingDirectory: String?
    public var timeoutSeconds: Double
    public var expectedExit: Int32
    public var maxAgeMinutes: Int?

    public init(command: String, arguments: [String] = [], workingDirectory: String? = nil,
                timeoutSeconds: Double = 30, expectedExit: Int32 = 0, maxAgeMinutes: Int? = nil) {
        self.command = command
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.timeoutSeconds = timeoutSeconds
        self.expectedExit = expectedExit
        self.maxAgeMinutes = maxAgeMinutes
    }
}
