import Foundation

/// A store whose truth is a shared journal: the folder holds this machine's copy, brought up to
/// the shared head before every read and, under the shared lock, before every write.
extension Store {
    /// Catches this machine's copy up with the shared journal (no-op for a folder store). Never
    /// called inside a write, which holds the folder lock and caught up under the shared lock.
    public func catchUpWithShared() throws {
        guard let shared, offlineReason == nil else { return }
        try withFolderLock { try catchUp(shared.records(from:)) }
    }

    /// A write: the shared lock, catching up, the write to the copy, then its lines committed to
    /// the shared journal. When the commit fails the copy is cut back, so this machine never shows
    /// a record no one else will see.
    func writeShared<T>(_ shared: any SharedJournal, _ body: () throws -> T) throws -> T {
        var before = -1
        do {
            let result = try shared.exclusively { tx in
                try WritePhases.measure("locked_catch_up") { try catchUp(tx.records(from:)) }
                before = try tail().completeSize
                let result = try WritePhases.measure("locked_decide") { try body() }
                let written = try copyBytes(from: before)
                if !written.isEmpty { try WritePhases.measure("locked_insert") { try tx.append(Store.wholeLines(of: written)) } }
                return result
            }
            // Committed: the copy's head is one the server holds.
            try? acknowledge(try tail().last)
            return result
        } catch {
            if before >= 0, (try? tail().completeSize).map({ $0 > before }) ?? true { try? cutCopy(to: before) }
            throw error
        }
    }

    /// Appends the shared records this copy lacks; a copy that does not end where the shared
    /// journal has it (a write killed before its commit, a copy of another rollout) is replaced.
    /// Records up to the head this machine acknowledged are never replaced silently: a server that
    /// no longer holds them is a divergence (see Store+Witness), found here.
    func catchUp(_ fetch: (Int) throws -> [[UInt8]]) throws {
        try WritePhases.measure("catch_up") { try catchUpNow(fetch) }
    }

    func catchUpNow(_ fetch: (Int) throws -> [[UInt8]]) throws {
        var t = try tail()
        let ack = acknowledged()
        // A copy that ends before the acknowledged head (cut by hand) must not be extended past a loss.
        if let ack, t.last.map({ $0.seq < ack.seq }) ?? true, try !witness(ack, fetch) { t = try tail() }
        var lines: [[UInt8]]
        if let last = t.last {
            lines = try fetch(last.seq)
            let anchor = lines.first.flatMap(Store.head(of:))
            if anchor?.seq == last.seq && anchor?.hash == last.hash {
                lines.removeFirst()
                if t.tornBytes > 0 { try cutCopy(to: t.completeSize) }
            } else {
                // Either a write of this machine's that never committed (past the acknowledged
                // head: cut back), or the server lost what this machine saw (the copy is kept aside).
                if try ack.map({ try witness($0, fetch) }) ?? true { try cutCopy(to: 0) }
                lines = try fetch(0)
            }
        } else {
            if t.tornBytes > 0 { try cutCopy(to: 0) }
            lines = try fetch(0)
        }
        let configChanged = lines.contains { $0.withUnsafeBufferPointer { ByteSearch.contains($0, Store.configAdoptedMarker) } }
        if !lines.isEmpty { try appendDurably(lines.flatMap { $0 }) }
        try acknowledge(lines.last.flatMap(Store.head(of:)) ?? (try tail().last))
        if configChanged || !exists { try writeAdoptedFiles() }
    }

    static let configAdoptedMarker = Array(#""kind":"config.adopted""#.utf8)

    /// The configuration in force, written into the copy's folder from the journal: it is what
    /// every command parses, and no machine's own files decide it.
    func writeAdoptedFiles() throws {
        let state = try loadCopy().state
        guard let files = try adoptedFiles(state) else { return }
        for file in files {
            guard let text = file.text, !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else { continue }
            let url = directory.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try writeAtomically(Data(text.utf8), to: url)
            if text.hasPrefix("#!") { SystemCall.changeMode(url.path, 0o755) }
        }
    }

    /// The journal's bytes from `offset` to its end.
    func copyBytes(from offset: Int) throws -> [UInt8] {
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        let size = try SystemCall.sizeOf(fd, path: journalURL.path)
        return try SystemCall.readExactly(fd, count: size - offset, at: offset, path: journalURL.path)
    }

    /// Cuts the copy back to `size` bytes; the snapshot, which may have seen more, goes with it.
    func cutCopy(to size: Int) throws {
        SystemCall.removeFile(snapshotURL.path)
        if let fd = try SystemCall.openIfPresent(journalURL.path, O_WRONLY | O_NOFOLLOW) {
            defer { SystemCall.closeFile(fd) }
            try SystemCall.truncateFile(fd, to: size, path: journalURL.path)
            try SystemCall.syncFile(fd, path: journalURL.path)
        }
        lastLoaded.withLock { $0 = nil }
        knownOffsets.withLock { $0 = [:] }
        knownLengths.withLock { $0 = [:] }
    }

    /// Whole lines, each with its newline.
    public static func wholeLines(of bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0a {
            out.append(Array(bytes[start...i]))
            start = i + 1
        }
        return out
    }

    /// The seq, prev and hash of a line (with or without its newline).
    public static func head(of line: [UInt8]) -> Journal.LineHead? {
        let body = line.last == 0x0a ? line.dropLast() : line[...]
        return body.withUnsafeBufferPointer { Journal.head(of: $0) }
    }
}
