import Crypto
import Foundation

/// The journal's line format. Each line is
/// `{"v":1,"seq":N,"prev":"<hex>",<body>,"hash":"<hex>"}` and `hash` is SHA-256 over the line's
/// exact bytes before `,"hash":"`. Hashing bytes, not a re-encoding, lets verification stream at
/// hashing speed and makes the chain independent of any JSON encoder's key order.
public enum Journal {
    /// 2: every write's last record carries the state digest, so a write is all or nothing.
    /// Version 1 records (no write boundaries known) each count as complete.
    public static let formatVersion = 2
    public static let firstVersionWithWrites = 2
    public static let genesis = String(repeating: "0", count: 64)
    /// `,"hash":"` + 64 hex + `"}`
    static let suffixLength = 9 + 64 + 2
    static let hashMarker = Array(#","hash":""#.utf8)
    static let sigMarker = Array(#","sig":""#.utf8)
    /// The namespace of every GoLive signature (`ssh-keygen -Y verify -n golive`).
    public static let signatureNamespace = "golive"

    /// What an operator's key signs for one record: its bytes up to the signature. They hold the
    /// seq, the hash of the record it follows, the rollout's name and the decision with its binding
    /// (stages, cohort, state and policy digests), so a signature names the history it was made on
    /// and cannot be moved to another place or rollout.
    public static func signedPayload(recordPrefix: some Collection<UInt8>) -> [UInt8] {
        Array("golive record v1\n".utf8) + Array(recordPrefix)
    }

    /// Checks a signed line's signature over its own bytes; returns the signing key, nil when the
    /// line carries no signature, or throws when it carries one that does not verify.
    public static func signingKey(of line: some RandomAccessCollection<UInt8>) throws -> SSHPublicKey? {
        try signingKey(signature(of: line))
    }

    /// The key that made `signature` (a line's, from `signature(of:)`), checked as `signingKey(of:)` checks it.
    static func signingKey(_ signature: (prefix: ArraySlice<UInt8>, base64: String)?) throws -> SSHPublicKey? {
        guard let (prefix, base64) = signature else { return nil }
        let sig: SSHSignature
        do { sig = try SSHSignature(base64: base64) } catch { throw SSHWire.Malformed(description: "its signature cannot be read: \(error)") }
        guard sig.verifies(signedPayload(recordPrefix: prefix), namespace: signatureNamespace) else {
            throw SSHWire.Malformed(description: "its signature by \(sig.publicKey.fingerprint) does not verify")
        }
        return sig.publicKey
    }

    /// A signed line's prefix (what was signed) and its signature, or nil when it carries none.
    public static func signature(of line: some RandomAccessCollection<UInt8>) -> (prefix: ArraySlice<UInt8>, base64: String)? {
        // Most lines are unsigned: found by walking back from the end, and copied only when signed
        // (a line copied to look at it was a tenth of reading an adoption record at 8,000 items).
        let count = line.count
        func byte(_ k: Int) -> UInt8 { line[line.index(line.startIndex, offsetBy: k)] }
        let sigEnd = count - suffixLength - 1  // the signature's closing quote
        guard count > suffixLength + sigMarker.count, byte(sigEnd) == UInt8(ascii: "\"") else { return nil }
        // Base64 holds no quote: the marker is the first quote-led run found walking back.
        var start = sigEnd - 1
        while start >= 0, byte(start) != UInt8(ascii: "\"") { start -= 1 }
        start -= sigMarker.count - 1
        guard start > 0, (0..<sigMarker.count).allSatisfy({ byte(start + $0) == sigMarker[$0] }) else { return nil }
        let bytes = Array(line)
        let sigStart = start + sigMarker.count
        return (bytes[..<start], String(decoding: bytes[sigStart..<sigEnd], as: UTF8.self))
    }

    struct Body: Encodable {
        var ts: Date
        var session: String
        var actor: String
        var os_user: String
        var kind: EventKind
        var data: EventData
    }

    /// Encodes one event as its journal line (with the trailing newline) and returns its hash.
    package static func encodeLine(seq: Int, prev: String, ts: Date, actor: Actor, draft: EventDraft,
                                   encoder: JSONEncoder) throws -> (line: [UInt8], hash: String) {
        let body = try encoder.encode(Body(ts: ts, session: actor.session, actor: actor.operatorID,
                                           os_user: actor.osUser, kind: draft.kind, data: draft.data))
        var bytes = Array(#"{"v":\#(formatVersion),"seq":\#(seq),"prev":"\#(prev)","#.utf8)
        bytes.append(contentsOf: body.dropFirst().dropLast())
        if let sign = draft.sign {
            let signature = try sign(bytes)
            bytes.append(contentsOf: sigMarker)
            bytes.append(contentsOf: Array(signature.utf8))
            bytes.append(UInt8(ascii: "\""))
        }
        let hash = Digest.sha256Hex(bytes)
        bytes.append(contentsOf: hashMarker)
        bytes.append(contentsOf: Array(hash.utf8))
        bytes.append(contentsOf: Array("\"}\n".utf8))
        return (bytes, hash)
    }

    /// The header fields of a line, read without decoding the JSON.
    public struct LineHead: Equatable, Sendable {
        public var version: Int
        public var seq: Int
        public var prev: String
        public var hash: String
    }

    /// Parses the fixed header and the trailing hash of one line (without its newline).
    public static func head(of line: UnsafeBufferPointer<UInt8>) -> LineHead? {
        var i = 0
        func expect(_ s: StaticString) -> Bool {
            let p = s.utf8Start
            for k in 0..<s.utf8CodeUnitCount {
                guard i < line.count, line[i] == p[k] else { return false }
                i += 1
            }
            return true
        }
        func number() -> Int? {
            var n = 0, digits = 0
            while i < line.count, line[i] >= 48, line[i] <= 57, digits < 18 {
                n = n * 10 + Int(line[i] - 48)
                i += 1
                digits += 1
            }
            return digits > 0 ? n : nil
        }
        guard expect(#"{"v":"#), let v = number(), expect(#","seq":"#), let seq = number(),
              expect(#","prev":""#), i + 64 <= line.count else { return nil }
        let prev = String(decoding: UnsafeBufferPointer(rebasing: line[i..<(i + 64)]), as: UTF8.self)
        guard line.count >= i + 64 + suffixLength,
              let hash = trailingHash(UnsafeBufferPointer(rebasing: line[(line.count - suffixLength)...])) else { return nil }
        return LineHead(version: v, seq: seq, prev: prev, hash: hash)
    }

    /// The hash a line's last `suffixLength` bytes hold (`,"hash":"<64>"}`), or nil when they are
    /// not a record's end.
    static func trailingHash(_ suffix: UnsafeBufferPointer<UInt8>) -> String? {
        guard suffix.count == suffixLength, suffix.starts(with: hashMarker),
              suffix[suffixLength - 2] == UInt8(ascii: "\""), suffix[suffixLength - 1] == UInt8(ascii: "}") else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: suffix[hashMarker.count..<(suffixLength - 2)]), as: UTF8.self)
    }

    /// True when the hash written in the line is SHA-256 of the bytes before it.
    public static func hashMatches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = line.count
        guard n >= suffixLength else { return false }
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(line)[0..<(n - suffixLength)]))
        // Compared as the lowercase hex golive writes, digit by digit: decoding each digit pair
        // through optionals was a tenth of `audit verify`.
        var k = n - suffixLength + 9
        var ok = true
        digest.withUnsafeBytes { d in
            for byte in d {
                guard line[k] == lowerHex[Int(byte >> 4)], line[k + 1] == lowerHex[Int(byte & 15)] else { ok = false; return }
                k += 2
            }
        }
        return ok
    }

    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
}
