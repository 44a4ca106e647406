import Foundation

public enum AuditExporter {
    /// The one way an export reaches a file, for the CLI and the cockpit alike: written whole or not
    /// at all (see DurableFile), so a full disk or a crash never leaves half a report behind.
    public static func export(store: Store, format: ExportFormat, filter: ExportFilter, toFile url: URL, now: Date) throws -> Int {
        var count = 0
        try DurableFile.write(to: url) { fd in
            let sink = ByteSink(fd: fd, path: url.path)
            count = try export(store: store, format: format, filter: filter, to: sink, now: now)
            try sink.flush()
        }
        return count
    }

    /// Writes the export to `sink` in one or more streaming passes over the journal.
    public static func export(store: Store, format: ExportFormat, filter: ExportFilter, to sink: ByteSink, now: Date) throws -> Int {
        let config = try? store.loadConfig()
        let tail = try store.tail()
        switch format {
        case .jsonl: return try jsonl(store, config, tail, filter, sink, now)
        case .csv: return try csv(store, filter, tail, sink)
        case .md: return try MarkdownReport.write(store: store, config: config, tail: tail, filter: filter, sink: sink, now: now)
        }
    }

    /// Streams every line whose event passes the filter, with its exact bytes.
    /// Streams the lines up to `tail` (the head the export names), never past it.
    static func forEachLine(_ store: Store, _ filter: ExportFilter, upTo tail: Store.Tail, kinds: [EventKind]? = nil, alsoAdoptions: Bool = false,
                            _ body: (UnsafeBufferPointer<UInt8>, Event) throws -> Void) throws {
        guard let fd = try SystemCall.openIfPresent(store.journalURL.path) else { return }
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: store.journalURL.path, upTo: tail.completeSize)
        let names = kinds.map { $0.map { Array($0.rawValue.utf8) + [UInt8(ascii: "\"")] } }
        try reader.forEachLine { line, number in
            // Only the record's own kind: found from the end, where it is, not anywhere in the line.
            if let names, let at = kindOffset(line), !names.contains(where: { name in
                at + name.count <= line.count && name.indices.allSatisfy { line[at + $0] == name[$0] }
            }) { return true }
            // A record that cannot be read was refused by the judge: the state names it (the report
            // lists it); an export goes on past it.
            guard let e = try? EventDecoder.decode(line) else {
                guard Journal.head(of: line) != nil else {
                    throw StoreError.corrupt("\(store.journalURL.path):\(number): not a journal record; run `golive audit verify`")
                }
                return true
            }
            // A filtered JSON Lines export carries the adoptions too: without the roster in force
            // its signatures could not be judged offline.
            if filter.admits(e) || (alsoAdoptions && e.kind == .configAdopted) { try body(line, e) }
            return true
        }
    }

    /// The string value after the last `marker` (which ends with the opening quote), up to the
    /// closing quote. The last: top-level keys are sorted, so "kind" follows "data", whose
    /// evidence has a "kind" of its own; quotes inside strings are escaped and cannot match.
    static func value(after marker: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> String? { ByteSearch.value(after: marker, in: line) }

    static func end(ofLast marker: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> Int? { ByteSearch.end(ofLast: marker, in: line) }

    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool { ByteSearch.contains(hay, needle) }

    static let kindMarker = Array("\"kind\":\"".utf8)

    /// Where the record's kind (its value, after `"kind":"`) starts: the last such key in the line,
    /// since the record's own kind follows its data (whose evidence has a kind of its own).
    static func kindOffset(_ line: UnsafeBufferPointer<UInt8>) -> Int? { end(ofLast: kindMarker, in: line) }

    static func jsonl(_ store: Store, _ config: RolloutConfig?, _ tail: Store.Tail, _ filter: ExportFilter, _ sink: ByteSink, _ now: Date) throws -> Int {
        let header = ExportFrame.Header(rollout: config?.name, version: config?.version, journalSeq: tail.last?.seq ?? 0,
                                        journalHead: tail.last?.hash ?? Journal.genesis, filtered: !filter.isEmpty, session: filter.session,
                                        since: filter.since.map(Timestamp.format), until: filter.until.map(Timestamp.format),
                                        exportedAt: Timestamp.format(now))
        try sink.write(try ExportFrame.line(header) + [0x0a])
        var hasher = StreamingSHA256()
        var ranges = SeqRanges()
        var count = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>, _ seq: Int) throws {
            try sink.write(line)
            try sink.write(CollectionOfOne(UInt8(0x0a)))
            hasher.update(line)
            hasher.update([0x0a])
            ranges.add(seq)
            count += 1
        }
        if filter.isEmpty {
            // A full export copies lines without decoding them: it runs at reading speed.
            if let fd = try SystemCall.openIfPresent(store.journalURL.path) {
                defer { SystemCall.closeFile(fd) }
                var reader = LineReader(fd: fd, path: store.journalURL.path, upTo: tail.completeSize)
                try reader.forEachLine { line, number in
                    guard let head = Journal.head(of: line) else {
                        throw StoreError.corrupt("\(store.journalURL.path):\(number): not a journal record; run `golive audit verify`")
                    }
                    try emit(line, head.seq)
                    return true
                }
            }
        } else {
            try forEachLine(store, filter, upTo: tail, alsoAdoptions: true) { line, e in try emit(line, e.seq) }
        }
        try sink.write(try ExportFrame.line(ExportFrame.Trailer(records: count, seqs: ranges.text, recordsSha256: hasher.finalizeHex())) + [0x0a])
        try sink.flush()
        return count
    }

    static func csvField(_ s: String) -> String {
        let clean = SafeText.sanitize(s)
        let needsQuotes = clean.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }
            || clean.utf8.first.map { "=+-@".utf8.contains($0) } == true
        if needsQuotes {
            // Quote, and defuse spreadsheet formulas.
            let body = (clean.first.map { "=+-@".contains($0) } ?? false) ? "'" + clean : clean
            return "\"" + body.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return clean
    }

    /// The fingerprint of the key a record's signature names, as written (`audit verify` checks
    /// that it verifies and may sign); empty for an unsigned record.
    public static func signerKeyOf(_ e: Event) -> String { signerKey(e) }

    static func signerKey(_ e: Event) -> String {
        e.sig.flatMap { try? SSHSignature(base64: $0) }?.publicKey.fingerprint ?? ""
    }

    /// What a hardware key's signature shows of the person ("touched", "touched and verified",
    /// "not touched"), or nil for a key without such flags or an unsigned record.
    static func presenceWords(_ e: Event) -> String? {
        e.sig.flatMap { try? SSHSignature(base64: $0) }?.presence?.words
    }

    static func csv(_ store: Store, _ filter: ExportFilter, _ tail: Store.Tail, _ sink: ByteSink) throws -> Int {
        try sink.write("seq,time,session,operator,os_user,kind,item,contour,status,role,detail,signer_key,hash\n")
        var count = 0
        try forEachLine(store, filter, upTo: tail) { _, e in
            let d = e.data
            let fields = [String(e.seq), Timestamp.format(e.ts), e.session, e.actor, e.osUser, e.kind.rawValue, d.item ?? "",
                          d.contour?.rawValue ?? "", d.status?.rawValue ?? "", d.role ?? "", EventText.describe(e), signerKey(e), e.hash]
            try sink.write(fields.map(csvField).joined(separator: ",") + "\n")
            count += 1
        }
        try sink.flush()
        return count
    }
}
