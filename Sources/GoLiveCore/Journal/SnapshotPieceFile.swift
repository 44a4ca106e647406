import Foundation

/// state.json's item states in pieces (format 9): each item lies in one of `count` pieces, by its
/// id, and each piece is a line of the file with its own SHA-256 in the state the journal commits
/// to. A proof then hashes that state (a few hundred kilobytes at 8,000 items) and a command reads,
/// hashes and locates only the pieces of the items it asks for. Proving the whole 3.7 MB at every
/// command made a write grow 1.56× from 1k to 1M records at 8,000 items, as items filled with
/// history (issue 30).
///
/// The file stays open: a piece is read from the state.json this proof read, even after a write
/// renamed another over it. A piece that does not match its digest is not believed: its items read
/// failed, saying why (`failure`), and a write refuses to build on them (see Store.commit).
final class SnapshotPieceFile: Sendable {
    /// Enough that a write at 8,000 items reads about 125 of them; few enough that a state of ten
    /// items is 64 short lines.
    static let count = 64

    /// The piece an item lies in: FNV-1a of its id's UTF-8 bytes. Fixed by the format, so the same
    /// items always make the same pieces.
    static func piece(of id: String) -> Int {
        var h: UInt32 = 2_166_136_261
        for b in id.utf8 {
            h ^= UInt32(b)
            h = h &* 16_777_619
        }
        return Int(h % UInt32(count))
    }

    /// Where a piece lies in the file and the digest the proven state gives it.
    struct Slot: Sendable, Equatable {
        var offset: Int
        var length: Int
        var digest: String
    }

    /// An open file, closed when the last holder lets go: state.json from its proof to the last
    /// state that may read a piece of it.
    final class Opened: Sendable {
        let fd: Int32
        let path: String
        init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }
        deinit { SystemCall.closeFile(fd) }
    }

    let slots: [Slot]
    private let file: Opened
    private var fd: Int32 { file.fd }
    private var path: String { file.path }
    private let located: Locked<[Int: Result<KeptItemStates.Piece, PieceFailure>]>

    struct PieceFailure: Error, Sendable { var message: String }

    /// `file`: state.json. `table`: each piece's length and digest, in order, as the proven state
    /// lists them; the first piece starts at `start`, each ends with a newline.
    init(_ file: Opened, start: Int, table: [(length: Int, digest: String)]) {
        self.file = file
        var at = start
        slots = table.map { entry in
            defer { at += entry.length + 1 }
            return Slot(offset: at, length: entry.length, digest: entry.digest)
        }
        located = Locked([:])
    }

    /// Piece `k` read, checked against its digest and located (once).
    func piece(_ k: Int) -> Result<KeptItemStates.Piece, PieceFailure> {
        if let done = located.withLock({ $0[k] }) { return done }
        let result = read(k, decodingEach: nil)
        located.withLock { $0[k] = result }
        return result
    }

    /// Piece `k` as `piece` gives it, each of its items handed to `decode` positioned at its value
    /// as the piece is located, in one pass: locating a piece and then decoding its items went
    /// over every item twice (a third of `status`'s decoding, issue 30). `decode` leaves the
    /// reader just past the value, or where it found it when it could not read it (then it is
    /// stepped over). Nil when the piece was located already: its entries are there to be read.
    func pieceDecodingEach(_ k: Int, _ decode: (String, inout JSONReader) -> Void) -> Result<KeptItemStates.Piece, PieceFailure>? {
        if located.withLock({ $0[k] }) != nil { return nil }
        let result = withoutActuallyEscaping(decode) { read(k, decodingEach: $0) }
        located.withLock { $0[k] = result }
        return result
    }

    /// How many pieces have been read so far: what a write costs (issue 30).
    var readCount: Int { located.withLock { $0.count } }

    /// The first piece found not to be as the journal vouched, if any was read.
    var failure: String? {
        let all = located.withLock { $0 }
        for k in all.keys.sorted() {
            if case let .failure(why) = all[k]! { return why.message }
        }
        return nil
    }

    /// Piece `k` as written, unchecked, appended to `target`, for a state.json that keeps it
    /// unchanged beside the digest already committed to it (a piece that was not as vouched stays
    /// not as vouched): copied by the kernel when it was not read, so a save never passes the
    /// pieces it keeps through memory.
    func copyAsWritten(_ k: Int, to target: Int32, path targetPath: String) throws {
        if case let .success(piece)? = located.withLock({ $0[k] }) {
            try piece.bytes.withUnsafeBytes { try SystemCall.writeAll(target, $0, path: targetPath) }
            return
        }
        let slot = slots[k]
        try SystemCall.copyRange(from: fd, at: slot.offset, count: slot.length, to: target, path: path)
    }

    private func read(_ k: Int, decodingEach decode: ((String, inout JSONReader) -> Void)?) -> Result<KeptItemStates.Piece, PieceFailure> {
        let slot = slots[k]
        let bytes: [UInt8]
        do {
            bytes = try SystemCall.readExactly(fd, count: slot.length, at: slot.offset, path: path)
        } catch {
            return .failure(PieceFailure(message: "state.json's piece \(k) of its items cannot be read (\(error))"))
        }
        let body = bytes[...]
        guard Digest.sha256Hex(body) == slot.digest else {
            return .failure(PieceFailure(message: "state.json's piece \(k) of its items differs from the one the journal committed to"))
        }
        do {
            let entries = try body.withUnsafeBufferPointer { buffer in
                var r = JSONReader(bytes: buffer, subject: "state.json's piece \(k)")
                let members = try r.locatedMembers(reservingFor: 256, reading: decode)
                r.skipSpace()
                guard r.i == buffer.count else { throw r.fail("text after the piece") }
                return members
            }
            // Only golive writes a piece the journal vouches for; an item in the wrong one would
            // never be looked up there, so such a piece is not believed at all.
            if let stray = entries.first(where: { Self.piece(of: $0.key) != k }) {
                return .failure(PieceFailure(message: "state.json's piece \(k) holds item \(stray.key), which belongs in piece \(Self.piece(of: stray.key))"))
            }
            return .success(KeptItemStates.Piece(bytes: body, entries: entries.map { KeptItemStates.Entry(id: $0.key, whole: $0.whole, value: $0.value) }))
        } catch {
            return .failure(PieceFailure(message: "state.json's piece \(k) of its items cannot be read (\(error))"))
        }
    }
}
