import Foundation

public enum ExportFormat: String, CaseIterable, Sendable { case jsonl, md, csv }

public struct ExportFilter: Sendable, Equatable {
    public var session: String?
    public var since: Date?
    public var until: Date?
    public init(session: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.session = session
        self.since = since
        self.until = until
    }
    public var isEmpty: Bool { session == nil && since == nil && until == nil }

    func admits(_ e: Event) -> Bool {
        if let session, e.session != session { return false }
        if let since, e.ts < since { return false }
        if let until, e.ts > until { return false }
        return true
    }
}

/// Buffered output to a file descriptor, so exports stream in constant memory.
public final class ByteSink {
    let fd: Int32
    var buffer: [UInt8] = []
    public private(set) var written = 0
    public init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }
    public func write(_ text: String) throws { try write(text.utf8) }
    public func flush() throws {
        var off = 0
        while off < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, buffer.count - off) }
            if n < 0 { if errno == EINTR { continue }; throw StoreError.io("write failed: \(String(cString: strerror(errno)))") }
            off += n
        }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Describes an event in one line for people (Markdown, CSV, the cockpit's timeline).
public enum EventText {
    public static func describe(_ e: Event) -> String {
        let d = e.data
        switch e.kind {
        case .rolloutInitialized: return "rollout \(d.name ?? "") \(d.version ?? "") initialised (\(d.note ?? ""))"
        case .itemSet: return "\(d.item ?? "") → \(d.status?.word ?? "?")\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")\(d.evidence?.url.map { " <\($0)>" } ?? "")"
        case .itemEvidence: return "\(d.item ?? "") evidence: \(d.evidence?.text ?? "")\(d.evidence?.url.map { " <\($0)>" } ?? "")"
        case .itemWaived: return "\(d.item ?? "") waived until \(d.expires.map(Timestamp.format) ?? "?"): \(d.reason ?? "")"
        case .contourSignedOff: return "\(d.contour?.rawValue ?? "") signed off as \(d.role ?? "")\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .actionRefused: return "REFUSED \(d.command ?? ""): \(d.reason ?? "")"
        case .journalRepaired: return "journal repaired: \(d.note ?? "")"
        case .sessionStarted:
            let s = d.session
            return "session started: \(s?.command ?? "") on \(s?.host ?? "?") pid \(s?.pid ?? 0) golive \(s?.version ?? "?")\(s?.terminal.map { " terminal \($0)" } ?? "") trace \(s?.traceID ?? "")"
        case .sessionEnded: return "session ended: \(d.reason ?? "")"
        case .gateShown:
            guard let v = d.verdict else { return "gate shown" }
            let why = (v.unmet + v.blocks.map { "block \($0)" }).joined(separator: ", ")
            return "gate shown (\(v.surface)): \(v.ready ? "READY" : "NOT READY — \(why)")"
        case .canaryApproved:
            return "canary approval \(d.from ?? "?") → \(d.to ?? "?") as \(d.role ?? "?") at state \((d.stateSha256 ?? "").prefix(12))\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .canaryTransitionStarted:
            return "canary \(transition(d.transition)) started\(d.transition?.hook.map { "; running hook \($0)" } ?? "")"
        case .canaryTransitionDone: return "canary \(transition(d.transition)) done\(hook(d.hook))"
        case .canaryTransitionFailed: return "canary \(transition(d.transition)) NOT applied\(hook(d.hook))"
        case .canaryOutcomeUnknown: return "canary \(transition(d.transition)) OUTCOME UNKNOWN\(hook(d.hook)); advances blocked until reconciled"
        case .canaryReconciled:
            return "canary \(transition(d.transition)) reconciled as \(d.applied == true ? "applied" : "not applied")\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        case .canaryHeld: return "canary held\(d.auto == true ? " automatically" : ""): \(d.reason ?? "")"
        case .canaryResumed: return "canary resumed\(d.note.map { $0.isEmpty ? "" : ": \($0)" } ?? "")"
        }
    }

    static func transition(_ t: CanaryTransition?) -> String {
        guard let t else { return "transition" }
        let who = t.cohort.isEmpty ? "" : ", \(t.cohort.count) tenant\(t.cohort.count == 1 ? "" : "s")"
        return "\(t.action) \(t.from) → \(t.to) (exposure \(Policy.percent(t.exposurePct))\(who)\(t.reason.map { "; \($0)" } ?? ""))"
    }

    static func hook(_ h: HookResult?) -> String {
        guard let h else { return "" }
        return " — hook \(h.outcome.rawValue): \(h.summary)"
    }
}


public struct ExportSummary: Sendable {
    public var records: Int
    public var bytes: Int
    public var head: String
    public var sha256: String
}

public enum AuditExporter {
    /// Writes the export to `sink` in one or more streaming passes over the journal.
    public static func export(store: Store, format: ExportFormat, filter: ExportFilter, to sink: ByteSink, now: Date) throws -> Int {
        let config = try? store.loadConfig()
        let tail = try store.tail()
        switch format {
        case .jsonl: return try jsonl(store, config, tail, filter, sink, now)
        case .csv: return try csv(store, filter, sink)
        case .md: return try MarkdownReport.write(store: store, config: config, tail: tail, filter: filter, sink: sink, now: now)
        }
    }

    /// Streams every line whose event passes the filter, with its exact bytes.
    static func forEachLine(_ store: Store, _ filter: ExportFilter, kinds: [EventKind]? = nil,
                            _ body: (UnsafeBufferPointer<UInt8>, Event) throws -> Void) throws {
        let fd = open(store.journalURL.path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        let decoder = JSONCoding.decoder()
        let needles = kinds.map { $0.map { Array("\"kind\":\"\($0.rawValue)\"".utf8) } }
        try reader.forEachLine { line, number in
            if let needles, !needles.contains(where: { contains(line, $0) }) { return true }
            guard let e = try? decoder.decode(Event.self, from: Data(buffer: line)) else {
                throw StoreError.corrupt("\(store.journalURL.path):\(number): not a journal record; run `golive audit verify`")
            }
            if filter.admits(e) { try body(line, e) }
            return true
        }
    }

    /// The string value after the last `marker` (which ends with the opening quote), up to the
    /// closing quote. The last: top-level keys are sorted, so "kind" follows "data", whose
    /// evidence has a "kind" of its own; quotes inside strings are escaped and cannot match.
    static func value(after marker: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> String? {
        guard line.count >= marker.count else { return nil }
        var at = line.count - marker.count
        while at >= 0 && !(line[at] == marker[0] && marker.indices.allSatisfy { line[at + $0] == marker[$0] }) { at -= 1 }
        guard at >= 0 else { return nil }
        var end = at + marker.count
        while end < line.count, line[end] != UInt8(ascii: "\"") { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: line[(at + marker.count)..<end]), as: UTF8.self)
    }

    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool { find(hay, needle) != nil }

    static func find(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Int? {
        guard let base = hay.baseAddress, let first = needle.first, needle.count <= hay.count else { return nil }
        var i = 0
        while i <= hay.count - needle.count {
            guard let hit = memchr(base + i, Int32(first), hay.count - needle.count - i + 1) else { return nil }
            let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            if needle.withUnsafeBufferPointer({ memcmp(base + at, $0.baseAddress!, needle.count) }) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    static func jsonString(_ s: String?) -> String {
        guard let s else { return "null" }
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonl(_ store: Store, _ config: RolloutConfig?, _ tail: Store.Tail, _ filter: ExportFilter, _ sink: ByteSink, _ now: Date) throws -> Int {
        let header = #"{"golive_export":1,"rollout":\#(jsonString(config?.name)),"version":\#(jsonString(config?.version)),"#
            + #""journal_seq":\#(tail.last?.seq ?? 0),"journal_head":"\#(tail.last?.hash ?? Journal.genesis)","#
            + #""filtered":\#(!filter.isEmpty),"session":\#(jsonString(filter.session)),"since":\#(jsonString(filter.since.map(Timestamp.format))),"#
            + #""until":\#(jsonString(filter.until.map(Timestamp.format))),"exported_at":"\#(Timestamp.format(now))"}"#
        try sink.write(header + "\n")
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
            let fd = open(store.journalURL.path, O_RDONLY)
            if fd >= 0 {
                defer { close(fd) }
                var reader = LineReader(fd: fd)
                try reader.forEachLine { line, number in
                    guard let head = Journal.head(of: line) else {
                        throw StoreError.corrupt("\(store.journalURL.path):\(number): not a journal record; run `golive audit verify`")
                    }
                    try emit(line, head.seq)
                    return true
                }
            }
        } else {
            try forEachLine(store, filter) { line, e in try emit(line, e.seq) }
        }
        try sink.write(#"{"golive_export_end":1,"records":\#(count),"seqs":"\#(ranges.text)","records_sha256":"\#(hasher.finalizeHex())"}"# + "\n")
        try sink.flush()
        return count
    }

    static func csvField(_ s: String) -> String {
        let clean = SafeText.sanitize(s)
        if clean.contains(where: { $0 == "," || $0 == "\"" }) || clean.hasPrefix("=") || clean.hasPrefix("+") || clean.hasPrefix("-") || clean.hasPrefix("@") {
            // Quote, and defuse spreadsheet formulas.
            let body = (clean.first.map { "=+-@".contains($0) } ?? false) ? "'" + clean : clean
            return "\"" + body.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return clean
    }

    static func csv(_ store: Store, _ filter: ExportFilter, _ sink: ByteSink) throws -> Int {
        try sink.write("seq,time,session,operator,os_user,kind,item,contour,status,role,detail,hash\n")
        var count = 0
        try forEachLine(store, filter) { _, e in
            let d = e.data
            let fields = [String(e.seq), Timestamp.format(e.ts), e.session, e.actor, e.osUser, e.kind.rawValue, d.item ?? "",
                          d.contour?.rawValue ?? "", d.status?.rawValue ?? "", d.role ?? "", EventText.describe(e), e.hash]
            try sink.write(fields.map(csvField).joined(separator: ",") + "\n")
            count += 1
        }
        try sink.flush()
        return count
    }
}

/// Sorted seqs written compactly as `1-5,9,12-40`.
public struct SeqRanges: Sendable {
    var parts: [(Int, Int)] = []
    public init() {}
    public mutating func add(_ seq: Int) {
        if let last = parts.last, last.1 + 1 == seq { parts[parts.count - 1].1 = seq } else { parts.append((seq, seq)) }
    }
    public var text: String { parts.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)-\($0.1)" }.joined(separator: ",") }

    public static func parse(_ text: String) -> [ClosedRange<Int>]? {
        if text.isEmpty { return [] }
        var out: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0) }
            guard ends.count == 1 || ends.count == 2, ends[0] <= ends[ends.count - 1] else { return nil }
            out.append(ends[0]...ends[ends.count - 1])
        }
        return out
    }
}
