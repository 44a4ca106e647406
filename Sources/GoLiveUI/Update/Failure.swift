import GoLiveCore

/// What the core answered when it did not do what was asked: its words, for the message line,
/// and its refusal code (nil for an error that is not a refusal), for what the cockpit does next.
/// The cockpit decides by the code, never by the words.
public struct Failure: Sendable, Equatable {
    public var text: String
    public var code: Refusal.Code?

    public init(_ text: String, code: Refusal.Code? = nil) {
        self.text = text
        self.code = code
    }

    /// How a core error reads in the cockpit (its remedies in keys and fields), with its code when it is a refusal.
    public init(_ error: any Error) {
        self.init(CockpitWording.describe(error), code: (error as? Refusal)?.code)
    }
}
