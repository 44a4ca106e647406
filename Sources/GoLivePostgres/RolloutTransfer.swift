// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import NIOCore

/// Moves a rollout between a folder and PostgreSQL. The records travel as their exact bytes, so
/// after a round trip the journal is byte-identical and verifies.
public enum RolloutTransfer {
    /// Pushes a folder store's verified journal into a new rollout. Returns the record count.
    public static func push(_ folder: Store, to location: PostgresAddress) throws -> Int {
        let report = try JournalVerifier.verify(fileAt: folder.journalURL)
        if let p = report.problem {
            throw StoreError.corrupt("\(folder.journalURL.path):\(p.line): \(p.message); nothing was pushed")
        }
        let tail = try folder.tail()
        guard tail.tornBytes == 0 else {
            throw StoreError.tornTail(line: tail.tornLine, bytes: tail.tornBytes, file: folder.journalURL.path)
        }
        let bytes = try Data(contentsOf: folder.journalURL)
        let lines = Store.wholeLines(of: [UInt8](bytes))
        guard !lines.isEmpty else { throw InputError("\(folder.journalURL.path) holds no records; nothing was pushed") }
        let journal = PostgresJournal(location)
        try PostgresSchema.check(journal)
        try journal.transaction(locking: "golive:" + journal.rollout) { c in
            if try journal.rolloutExists(on: c) {
                throw InputError("\(location.shown) already holds rollout '\(journal.rollout)'; nothing was pushed (pick another ?rollout= name)")
            }
            try journal.execute("INSERT INTO golive_rollouts (name) VALUES (\(journal.rollout))", on: c)
            try journal.insert(lines, on: c)
            try journal.execute("SELECT pg_notify(\(PostgresJournal.channel), \(journal.rollout))", on: c)
        }
        return lines.count
    }

    /// Pulls a rollout into a new folder store: its journal, and its configuration as adopted.
    /// The rollout's records as the server holds them, written to `file` as a journal (for `audit verify`).
    public static func fetchJournal(_ location: PostgresAddress, to file: URL) throws {
        let journal = try PostgresJournal.open(location)
        try Data(journal.records(from: 0).flatMap { $0 }).write(to: file)
    }

    public static func pull(_ location: PostgresAddress, into folder: URL) throws -> Int {
        let target = Store(directory: folder)
        if target.exists || FileIdentity.of(target.journalURL.path) != nil {
            throw InputError("\(folder.path) already holds a store; nothing was pulled (name a new folder)")
        }
        let journal = try PostgresJournal.open(location)
        let existed = FileManager.default.fileExists(atPath: folder.path)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let copy = Store(directory: folder, shared: journal)
            try copy.catchUpWithShared()
            let report = try JournalVerifier.verify(fileAt: target.journalURL)
            if let p = report.problem {
                throw StoreError.corrupt("\(location.shown): record \(p.line): \(p.message); the pulled copy was removed")
            }
            return report.lines
        } catch {
            if !existed { try? FileManager.default.removeItem(at: folder) }
            throw error
        }
    }
}
#endif
