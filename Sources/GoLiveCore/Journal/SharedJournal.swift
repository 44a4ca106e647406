import Foundation

/// A journal that several machines write (a PostgreSQL database). The records are the very lines
/// of journal.jsonl, with their seq, prev and hash; the store's folder is then this machine's
/// copy of them, verified like any journal, and the shared journal is the truth it is checked
/// against. The folder store needs none of this: it is the embedded default.
public protocol SharedJournal: AnyObject, Sendable {
    /// Where the records live, for messages: never a password.
    var address: String { get }
    /// The records from `seq` on (the one at `seq` first, to check this machine's copy ends where
    /// the shared journal has it), each a line's bytes with its newline.
    func records(from seq: Int) throws -> [[UInt8]]
    /// Runs `body` holding the rollout's write lock, which serialises writers on every machine.
    /// The lines `body` gives to the transaction are committed when it returns, or none of them is.
    func exclusively<T>(_ body: (any SharedTransaction) throws -> T) throws -> T
    /// Counts changes other machines announced (and reconnections, after which anything may have
    /// changed): a cockpit reads the store again when it moves.
    var changeCount: Int { get }
    /// Why the live feed is down ("reconnecting…"), or nil while it is up.
    var connectionProblem: String? { get }
}

/// One write to a shared journal, under its lock.
public protocol SharedTransaction {
    func records(from seq: Int) throws -> [[UInt8]]
    /// Appends whole lines; they must continue the chain at the shared head.
    func append(_ lines: [[UInt8]]) throws
}
