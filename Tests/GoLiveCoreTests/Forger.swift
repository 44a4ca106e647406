import Foundation
import GoLiveTestSupport
@testable import GoLiveCore

/// Records written by hand, as someone who can write the store folder would: correctly chained
/// after the journal's last record and ending a write, signed with a key outside golive (SSHSIG
/// over golive's payload, as `ssh-keygen -Y sign -n golive` makes it) or not signed at all.
enum Forger {
    static func lastLine(_ store: Store) -> String { ChainGuardTests.lines(store.journalURL).last! }

    static func time(of line: String) -> Date {
        let start = line.range(of: #""ts":""#)!.upperBound
        return Timestamp.parse(String(line[start...].prefix { $0 != "\"" }))!
    }

    static func seq(of line: String) -> Int {
        let start = line.range(of: #""seq":"#)!.upperBound
        return Int(line[start...].prefix { $0.isNumber })!
    }

    /// `data`: the record's data members as JSON text, without braces. Returns the line written.
    @discardableResult
    static func append(_ store: Store, kind: String, actor: String, data: String, at ts: Date? = nil,
                       signedBy key: SSHTestKey? = nil, rawData: [UInt8]? = nil, rawSig: String? = nil,
                       signer: (([UInt8]) -> String)? = nil) throws -> String {
        let last = lastLine(store)
        let when = ts ?? time(of: last).addingTimeInterval(1)
        var bytes = Array(#"{"v":2,"seq":\#(seq(of: last) + 1),"prev":"\#(ChainGuardTests.hash(of: last))","actor":"\#(actor)","data":"#.utf8)
        bytes += rawData ?? Array(("{" + data + (data.isEmpty ? "" : ",") + #""state_digest":""}"#).utf8)
        bytes += Array(#","kind":"\#(kind)","os_user":"mallory","session":"s-forged","ts":"\#(Timestamp.format(when))""#.utf8)
        if let key {
            let sig = try SSHPrivateKey(file: key.privatePath).sign(Journal.signedPayload(recordPrefix: bytes), namespace: Journal.signatureNamespace)
            bytes += Array(#","sig":"\#(sig.base64)""#.utf8)
        } else if let signer {
            bytes += Array(#","sig":"\#(signer(Journal.signedPayload(recordPrefix: bytes)))""#.utf8)
        } else if let rawSig {
            bytes += Array(#","sig":"\#(rawSig)""#.utf8)
        }
        let hash = Digest.sha256Hex(bytes)
        bytes += Array(#","hash":"\#(hash)"}"#.utf8) + [0x0a]
        let handle = try FileHandle(forWritingTo: store.journalURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    /// A JSON value as record text.
    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self) }
}
