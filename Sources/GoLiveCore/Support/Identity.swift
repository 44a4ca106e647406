import Foundation

public enum Identity {
    /// The OS account running golive: always recorded beside the operator it claims to act as.
    public static func osUser() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid\(geteuid())"
    }

    public static func randomHex(bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return Digest.hex((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    public static func newSessionID() -> String { "s-" + randomHex(bytes: 8) }
}
