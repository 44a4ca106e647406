import Foundation

/// The journal file: its tail and torn writes, the durable append, repair and the disk reserve.
extension Store {
    public struct Tail: Sendable {
        public var last: Journal.LineHead?
        /// Bytes of complete lines; a torn tail starts here.
        public var completeSize: Int
        public var tornBytes: Int
        public var tornLine: Int { (last?.seq ?? 0) + 1 }
    }

    public func tail() throws -> Tail {
        try refuseLinks()
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return Tail(last: nil, completeSize: 0, tornBytes: 0) }
        defer { SystemCall.closeFile(fd) }
        return try Store.tail(fd: fd, path: journalURL.path, writesAreAtomic: shared != nil)
    }

    /// `writesAreAtomic`: a shared store's copy holds only what the server committed, each write
    /// in one transaction. Whole records there that do not end a write were not written by
    /// golive (a row inserted by hand): they are records to judge, never a torn write to cut
    /// (the server keeps them, so cutting them here would wedge every later write).
    static func tail(fd: Int32, path: String, writesAreAtomic: Bool = false) throws -> Tail {
        let size = try SystemCall.sizeOf(fd, path: path)
        guard size > 0 else { return Tail(last: nil, completeSize: 0, tornBytes: 0) }
        var window = min(size, 64 * 1024)
        while true {
            let bytes = try SystemCall.readExactly(fd, count: window, at: size - window, path: path)
            // The newline that ends the last complete line.
            guard let lastNL = bytes.lastIndex(of: 0x0a) else {
                if window == size { return Tail(last: nil, completeSize: 0, tornBytes: size) }
                window = min(size, window * 4)
                continue
            }
            let torn = window - lastNL - 1
            let lineStart = bytes[..<lastNL].lastIndex(of: 0x0a).map { $0 + 1 }
            if lineStart == nil && window < size {
                window = min(size, window * 4)
                continue
            }
            let from = lineStart ?? 0
            let head = bytes[from..<lastNL].withUnsafeBufferPointer { Journal.head(of: $0) }
            guard let head else {
                // Not a record (appended by hand): on a local store it ends no write, so it is set
                // aside like a torn one (the levers do so and act); on a shared store the server
                // keeps it, so it stays, refused by the fold, and writes chain past it.
                if let before = try lastRecord(fd: fd, before: size - window + from, path: path, endingAWrite: !writesAreAtomic) {
                    return writesAreAtomic ? Tail(last: before.head, completeSize: size - torn, tornBytes: torn)
                                           : Tail(last: before.head, completeSize: before.end, tornBytes: size - before.end)
                }
                throw StoreError.corrupt("\(path): the last complete line is not a journal record, and no record before it ends a write; run `golive audit verify` to find the first bad line")
            }
            // A record in a newer format is not refused here: the fold refuses it where it stands
            // (UNTRUSTED, with the way forward), so that one such line, forged or not, never takes
            // hold and rollback away.
            // A write is all or nothing: its last record carries the state digest, so complete
            // records after the last one that does are a write that did not finish. They count
            // as torn, like a cut line.
            if !writesAreAtomic, head.version >= Journal.firstVersionWithWrites, !Store.endsAWrite(bytes[from..<lastNL]),
               let batchEnd = try lastWriteEnd(fd: fd, before: size - torn, path: path) {
                return Tail(last: batchEnd.head, completeSize: batchEnd.end, tornBytes: size - batchEnd.end)
            }
            return Tail(last: head, completeSize: size - torn, tornBytes: torn)
        }
    }

    static let writeEndMarker = Array(#""state_digest":""#.utf8)

    /// Whether a record is the last of a write (`"state_digest":"` cannot occur inside a JSON
    /// string, where quotes are escaped).
    static func endsAWrite(_ line: ArraySlice<UInt8>) -> Bool {
        line.withUnsafeBufferPointer { ByteSearch.contains($0, writeEndMarker) }
    }

    /// The end of the last complete write before `before`: the last record carrying the state
    /// digest, or a version 1 record (complete by itself). Searched within the last 256 KiB;
    /// nil when nothing there decides (no write is that long).
    static func lastWriteEnd(fd: Int32, before end: Int, path: String) throws -> (head: Journal.LineHead, end: Int)? {
        try lastRecord(fd: fd, before: end, path: path, endingAWrite: true)
    }

    /// The last record before `before` (that ends a write, if asked) and where it ends.
    static func lastRecord(fd: Int32, before end: Int, path: String, endingAWrite: Bool) throws -> (head: Journal.LineHead, end: Int)? {
        let window = min(end, 256 * 1024)
        guard window > 0 else { return nil }
        let bytes = try SystemCall.readExactly(fd, count: window, at: end - window, path: path)
        var lineEnd = bytes.count - 1
        while lineEnd > 0 {
            guard let start = bytes[..<lineEnd].lastIndex(of: 0x0a).map({ $0 + 1 }) ?? (window == end ? 0 : nil) else { return nil }
            let line = bytes[start..<lineEnd]
            if let head = line.withUnsafeBufferPointer({ Journal.head(of: $0) }),
               !endingAWrite || head.version < Journal.firstVersionWithWrites || endsAWrite(line) {
                return (head, end - window + lineEnd + 1)
            }
            if start == 0 { return nil }
            lineEnd = start - 1
        }
        return nil
    }

    /// The note an interrupted repair left (`setAside`), if it is one: a regular file, not a
    /// link, owned by whoever runs golive, small, in golive's own words. Anything else planted
    /// under that name (a link to a private key, a FIFO, a large file) is never read.
    func readRepairPending() -> String? {
        guard let (bytes, info) = SystemCall.readRegularFile(repairPendingURL.path, limit: Store.repairNoteLimit), info.st_uid == geteuid(),
              let note = String(validating: bytes, as: UTF8.self), Repair.isNote(note) else { return nil }
        return note
    }

    static let repairNoteLimit = 4096

    static let reserveBytes = 256 * 1024
    static let onReserveNote = "; written on the store's disk reserve: the disk is full, free space before anything else"

    /// Room kept back on the store's disk for the writes that must work when it is full: journal
    /// repair, hold and rollback. Made after a write succeeds, so it costs one lstat when present.
    func ensureReserve() {
        guard FileIdentity.of(reserveURL.path) == nil else { return }
        guard let fd = try? SystemCall.openFile(reserveURL.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600) else { return }
        defer { SystemCall.closeFile(fd) }
        do {
            try SystemCall.allocate(fd, bytes: Store.reserveBytes, path: reserveURL.path)
            try SystemCall.syncFile(fd, path: reserveURL.path)
        } catch {
            // Not room for it now: the next write tries again.
            SystemCall.removeFile(reserveURL.path)
        }
    }

    /// Frees the reserve; false when there was none to free.
    func releaseReserve() -> Bool {
        guard FileIdentity.of(reserveURL.path)?.isRegularFile == true else { return false }
        SystemCall.removeFile(reserveURL.path)
        SystemCall.syncDirectory(directory.path)
        return true
    }

    /// Whether the reserve is in place (status warns when a full disk used it up).
    public var hasReserve: Bool {
        // A shared journal's copy is not where the truth lives: a full disk fails its catching up, loudly.
        if shared != nil { return true }
        return (FileIdentity.of(reserveURL.path)?.size ?? 0) >= Store.reserveBytes
    }

    func appendDurably(_ bytes: [UInt8]) throws {
        let fd = try SystemCall.openFile(journalURL.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        try SystemCall.writeAll(fd, bytes, path: journalURL.path)
        try SystemCall.syncFile(fd, path: journalURL.path)
    }

    public struct Repair: Sendable {
        public var line: Int
        public var bytes: Int
        public var savedTo: String
        /// Records set aside: those of the write that did not complete, the last one maybe cut.
        public var records: Int
        public var cut: Bool

        var note: String {
            "set aside \(records) record(s) from seq \(line) of a write that did not complete (\(bytes) bytes\(cut ? ", the last one cut" : "")) in \(savedTo)"
        }

        /// Whether `text` is a note `note` writes: one line, its words, a side file of ours.
        static func isNote(_ text: String) -> Bool {
            let pattern = #"^set aside [0-9]+ record\(s\) from seq [0-9]+ of a write that did not complete \([0-9]+ bytes(, the last one cut)?\) in journal\.torn-[0-9TZ.-]+\.bin$"#
            return text.range(of: pattern, options: .regularExpression) != nil
        }
    }

    /// Sets aside a write that did not complete and records that it did, in one write. Only ever
    /// run on an operator's request (or by hold and rollback): nothing is dropped silently.
    package func repairTornTail(actor: Actor, now: Date) throws -> Repair? {
        lastRepair.withLock { $0 = nil }
        try append(actor: actor, now: now, settingAsideTornWrite: true) { _ in [] }
        return lastRepair.withLock { $0 }
    }

    /// Under the lock: the bytes after the last complete write go to a side file, then the journal
    /// is cut back to that write.
    func setAside(_ t: Tail, now: Date) throws -> Repair {
        if let lost = Store.missing(seen: snapshotSeq(), journalEndsAt: t.last?.seq ?? 0) { throw StoreError.corrupt(lost) }
        let fd = try SystemCall.openFile(journalURL.path, O_RDWR | O_NOFOLLOW)
        defer { SystemCall.closeFile(fd) }
        let torn = try SystemCall.readExactly(fd, count: t.tornBytes, at: t.completeSize, path: journalURL.path)
        let stamp = Timestamp.format(now).replacingOccurrences(of: ":", with: "")
        let side = directory.appendingPathComponent("journal.torn-\(stamp).bin")
        try writeAtomically(Data(torn), to: side)
        let whole = torn.filter { $0 == 0x0a }.count
        let cut = torn.last != 0x0a
        let repair = Repair(line: t.tornLine, bytes: t.tornBytes, savedTo: side.lastPathComponent, records: whole + (cut ? 1 : 0), cut: cut)
        // Said before the cut, so that a repair killed between the cut and its record is still recorded.
        try writeAtomically(Data(repair.note.utf8), to: repairPendingURL)
        try SystemCall.truncateFile(fd, to: t.completeSize, path: journalURL.path)
        try SystemCall.syncFile(fd, path: journalURL.path)
        return repair
    }
}
