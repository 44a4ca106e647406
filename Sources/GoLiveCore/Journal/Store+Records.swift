import Foundation

extension Store {
    /// The events with these seqs, each found by bisecting the journal (`JournalIndex`) and
    /// checked against its own hash: the item history in the cockpit costs a few small reads per
    /// record, however long the journal.
    public func events(seqs: Set<Int>) throws -> [Event] {
        try lines(seqs: seqs).compactMap { seq, line in
            guard line.withUnsafeBufferPointer({ Journal.hashMatches($0) }),
                  let e = try? line.withUnsafeBufferPointer({ try EventDecoder.decode($0) }), e.seq == seq else { return nil }
            return e
        }
    }

    /// The lines of these refused records as they stand in the journal, in journal order: each
    /// found by its seq and the hash it states, or (a line that is not a record) by its SHA-256,
    /// which is how the fold named it. Read whole, once: setting records aside is rare.
    func refusedLines(_ refused: [RefusedRecord]) throws -> [[UInt8]] {
        guard !refused.isEmpty, let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        var wanted = Set(refused.map { "\($0.seq) \($0.hash)" })
        var found: [[UInt8]] = []
        var lastSeq = 0
        var reader = LineReader(fd: fd, path: journalURL.path)
        try reader.forEachLine { line, _ in
            let name: String
            if let head = Journal.head(of: line) {
                name = "\(head.seq) \(head.hash)"
                lastSeq = head.seq
            } else {
                name = "\(lastSeq + 1) \(Digest.sha256Hex(line))"
            }
            if wanted.remove(name) != nil { found.append(Array(line)) }
            return !wanted.isEmpty
        }
        return found
    }

    /// One record's line as written, found by bisecting; nil when the journal holds no such seq.
    public func recordLine(seq: Int) throws -> [UInt8]? { try lines(seqs: [seq]).first?.line }

    /// The lines with these seqs as written (without their newline), in seq order, found by
    /// bisecting; a seq the journal does not hold is left out. Not decoded: a refused record may
    /// not be readable at all.
    func lines(seqs: Set<Int>) throws -> [(seq: Int, line: [UInt8])] {
        guard !seqs.isEmpty else { return [] }
        guard let fd = try SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return [] }
        defer { SystemCall.closeFile(fd) }
        let index = try JournalIndex(fd: fd, path: journalURL.path)
        var found: [(Int, [UInt8])] = []
        for seq in seqs.sorted() {
            var line: [UInt8]?
            if let known = knownOffsets.withLock({ $0[seq] }), known < index.size, try index.startsLine(at: known),
               let there = try knownLengths.withLock({ $0[seq] }).flatMap({ try index.line(at: known, length: $0) }) ?? index.line(at: known),
               JournalIndex.seq(atStartOf: there[...]) == seq {
                line = there
            } else if let offset = try index.offset(ofSeq: seq) {
                line = try index.line(at: offset)
                knownOffsets.withLock { cache in
                    if cache.count > 50_000 { cache.removeAll() }
                    cache[seq] = offset
                }
            }
            if let line, JournalIndex.seq(atStartOf: line[...]) == seq {
                found.append((seq, line))
                knownLengths.withLock { $0[seq] = line.count }
            }
        }
        return found
    }

    /// Where the record of this seq starts in the journal, found by bisection and remembered.
    func journalOffset(ofSeq seq: Int) -> Int? {
        guard let fd = try? SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return nil }
        defer { SystemCall.closeFile(fd) }
        guard let found = try? JournalIndex(fd: fd, path: journalURL.path).offset(ofSeq: seq) else { return nil }
        knownOffsets.withLock { $0[seq] = found }
        return found
    }

    /// The hash a record of this seq ends with, where this process last found it (its offset and
    /// length known): the last bytes of the line only, nothing checked but that they read as a
    /// record's end.
    func recordHashAtItsEnd(seq: Int) -> String? {
        guard let offset = knownOffsets.withLock({ $0[seq] }), let length = knownLengths.withLock({ $0[seq] }), length >= Journal.suffixLength,
              let fd = try? SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return nil }
        defer { SystemCall.closeFile(fd) }
        guard let end = try? SystemCall.readExactly(fd, count: Journal.suffixLength + 1, at: offset + length - Journal.suffixLength, path: journalURL.path),
              end.last == 0x0a else { return nil }
        return end.withUnsafeBufferPointer { Journal.trailingHash(UnsafeBufferPointer(rebasing: $0.dropLast())) }
    }

    /// The length (without its newline) of the record starting at `offset`: found once for the
    /// adoption hint, when no read of that record said it.
    func journalLength(at offset: Int) -> Int? {
        guard let fd = try? SystemCall.openIfPresent(journalURL.path, O_RDONLY | O_NOFOLLOW) else { return nil }
        defer { SystemCall.closeFile(fd) }
        guard let next = try? JournalIndex(fd: fd, path: journalURL.path).lineStart(atOrAfter: offset + 1), next > offset + 1 else { return nil }
        return next - offset - 1
    }

    /// A cheap fingerprint of the files a cockpit shows: it changes when another process writes,
    /// or when any file of the configuration (`also`: the policy, scripts) is edited.
    public func fingerprint(also paths: [String] = []) -> Fingerprint {
        let others = paths.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : directory.appendingPathComponent($0) }
        // The configuration's scripts may be links (the store's own files never are): followed.
        let files = ([journalURL, rolloutURL] + others).map { FileIdentity.of($0.path, followingLinks: true) }
        return Fingerprint(files: files, sharedChanges: shared?.changeCount)
    }

    /// Compared, never read: unequal when anything the cockpit shows may have changed.
    public struct Fingerprint: Equatable, Sendable {
        let files: [FileIdentity?]
        let sharedChanges: Int?
    }
}

extension Store {
    /// The newest `limit` events, read from the end of the journal: the cockpit's timeline does not
    /// decode a million events to show the last screenful.
    public func recentEvents(limit: Int) throws -> [Event] {
        guard let fd = try SystemCall.openIfPresent(journalURL.path) else { return [] }
        defer { SystemCall.closeFile(fd) }
        let size = try SystemCall.sizeOf(fd, path: journalURL.path)
        var window = min(size, max(1, limit) * 1024)
        while true {
            let bytes = try SystemCall.readExactly(fd, count: window, at: size - window, path: journalURL.path)
            var lines = ArraySlice(bytes.split(separator: 0x0a, omittingEmptySubsequences: true))
            if window < size { lines = lines.dropFirst() }  // the first piece may be cut
            if bytes.last != 0x0a { lines = lines.dropLast() }  // a torn tail is not an event
            if lines.count >= limit || window == size {
                return lines.suffix(limit).compactMap { try? EventDecoder.decode(Data($0)) }
            }
            window = min(size, window * 4)
        }
    }
}

extension Store {
    /// The files of the configuration in force, from the `config.adopted` record the state names.
    /// Their hashes must give the digest the (proven) state holds and each text its hash, so a
    /// record edited in place is refused rather than believed. Nil when nothing was adopted.
    public func adoptedFiles(_ state: RolloutState) throws -> [ConfigFile]? { try adoptedRecord(state)?.files }

    /// The adopted files and the parse their adoption vouches for (`parsed_sha256`).
    func adoptedRecord(_ state: RolloutState) throws -> (files: [ConfigFile], parsed: String?)? {
        guard let adopted = state.adoptedConfig else { return nil }
        guard let event = try events(seqs: [adopted.seq]).first(where: { $0.kind == .configAdopted }), let files = event.data.files else {
            throw StoreError.corrupt("\(journalURL.path): the configuration adopted at seq \(adopted.seq) is not in the journal; run `golive audit verify`")
        }
        guard ConfigFile.digest(files) == adopted.sha256, files.allSatisfy(\.textMatchesHash) else {
            throw StoreError.corrupt("\(journalURL.path): the configuration record at seq \(adopted.seq) does not match its hashes (edited in place?); run `golive audit verify`")
        }
        return (files, event.data.parsedSha256)
    }
}
