import Foundation

/// A shared store whose server cannot be reached: this process works on the machine's copy alone.
/// Reads show the copy as last caught up; only hold and rollback write, into the copy, and each is
/// kept as a pending lever (`pending-levers.jsonl`) until it is shared (Cockpit+Offline). A
/// pending lever is never discarded: it leaves the file only once its record is in the shared journal.
extension Store {
    /// A hold or rollback made on this machine while the shared store could not be reached.
    public struct PendingLever: Codable, Sendable, Equatable {
        /// Names it in the record that shares it, so that it is shared once.
        public var id: String
        /// "hold" or "rollback".
        public var action: String
        public var reason: String
        public var operatorID: String
        public var osUser: String
        public var session: String
        public var host: String
        public var at: String
        /// Why the shared store could not be reached.
        public var outage: String
        /// What the transition hook did on this machine (a rollback's).
        public var hook: HookResult?
        /// Why the lever was refused on this machine, when it was (still journaled once shared).
        public var refused: String?
        /// The alerts it raised here and their deliveries (the pager ran on this machine): journaled
        /// with it once shared, so that nobody is paged again for them and the record is whole.
        public var alerts: [Alert]?

        public struct Alert: Codable, Sendable, Equatable {
            public var kind: EventKind
            public var data: EventData
        }

        enum CodingKeys: String, CodingKey {
            case id, action, reason, host, at, outage, hook, refused, session, alerts
            case operatorID = "operator"
            case osUser = "os_user"
        }

        /// One line for every surface.
        public var summary: String {
            let what = refused != nil ? "\(action) refused" : action == "rollback" ? "rolled back" : "held"
            let hookText = hook.map { ", hook \($0.outcome.rawValue)" } ?? ""
            return "\(what) here by \(SafeText.sanitize(operatorID)) at \(Timestamp.short(Timestamp.parse(at) ?? Date()))\(hookText), not yet shared"
        }
    }

    public var offlineReason: String? { offline.withLock { $0 } }

    /// Works on the copy alone (why: the server's error), or with the server again (nil).
    public func workOffline(_ why: String?) {
        offline.withLock { $0 = why }
        offlineSince.withLock { $0 = why == nil ? nil : Date() }
    }

    func witnessedCopy() throws -> Loaded {
        var loaded = try loadCopy()
        loaded.state = witnessed(loaded.state)
        return loaded
    }

    var pendingLeversURL: URL { directory.appendingPathComponent("pending-levers.jsonl") }

    /// The levers made here while the shared store could not be reached, oldest first.
    public func pendingLevers() -> [PendingLever] {
        pendingLines().compactMap { try? JSONCoding.decoder().decode(PendingLever.self, from: Data($0)) }
    }

    /// Lines of the pending file that are not a lever this golive reads (a hand edit, a newer
    /// golive's): never dropped, and said by `status`.
    public var unreadablePendingLevers: Int {
        pendingLines().filter { (try? JSONCoding.decoder().decode(PendingLever.self, from: Data($0))) == nil }.count
    }

    func pendingLines() -> [[UInt8]] {
        guard shared != nil, let (bytes, _) = SystemCall.readRegularFile(pendingLeversURL.path, limit: 16 << 20) else { return [] }
        return Store.wholeLines(of: bytes).filter { $0.count > 1 }
    }

    /// Serialises the sharing of pending levers between this machine's processes: each is shared once.
    func withPendingLeversLock<T>(_ body: () throws -> T) throws -> T {
        try withFileLock(directory.appendingPathComponent("pending-levers.lock"), body)
    }

    func keepPendingLever(_ lever: PendingLever) throws {
        let line = try JSONCoding.encoder().encode(lever) + Data([0x0a])
        try withFolderLock {
            var all = Data()
            if let (bytes, _) = SystemCall.readRegularFile(pendingLeversURL.path, limit: 16 << 20) { all.append(contentsOf: bytes) }
            all.append(line)
            try writeAtomically(all, to: pendingLeversURL)
        }
    }

    /// Removes the lever `id` once it is shared; every other line stays as it was, read or not.
    func dropPendingLever(_ id: String) throws {
        try withFolderLock {
            let rest = pendingLines().filter { (try? JSONCoding.decoder().decode(PendingLever.self, from: Data($0)))?.id != id }
            if rest.isEmpty {
                SystemCall.removeFile(pendingLeversURL.path)
                SystemCall.syncDirectory(directory.path)
            } else {
                try writeAtomically(Data(rest.joined()), to: pendingLeversURL)
            }
        }
    }

    /// Tries the server again; true when this store is back on it (its copy caught up).
    @discardableResult
    public func reconnect() -> Bool {
        guard let shared, offlineReason != nil else { return true }
        guard Date().timeIntervalSince(offlineSince.withLock({ $0 }) ?? .distantPast) > 5 else { return false }
        do {
            try withFolderLock { try catchUp(shared.records(from:)) }
            workOffline(nil)
            return true
        } catch {
            offlineSince.withLock { $0 = Date() }
            return false
        }
    }
}
