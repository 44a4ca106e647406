/// What a FIDO2 key's signature says about the person at the key (PROTOCOL.u2f): the
/// authenticator's flags (user present: the key was touched; user verified: a PIN or a
/// fingerprint was checked) and its signature counter. They are inside what the key signed.
public struct SKPresence: Sendable, Equatable {
    public let flags: UInt8
    public let counter: UInt32

    public init(flags: UInt8, counter: UInt32) {
        self.flags = flags
        self.counter = counter
    }

    public var userPresent: Bool { flags & 0x01 != 0 }
    public var userVerified: Bool { flags & 0x04 != 0 }

    /// "touched", "touched and verified", or "not touched".
    public var words: String {
        switch (userPresent, userVerified) {
        case (true, true): "touched and verified"
        case (true, false): "touched"
        case (false, true): "verified, not touched"
        case (false, false): "not touched"
        }
    }
}
