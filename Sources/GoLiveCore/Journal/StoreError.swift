public enum StoreError: Error, CustomStringConvertible, Sendable {
    case io(String)
    case newerFormat(String)
    case tornTail(line: Int, bytes: Int, file: String)
    case corrupt(String)
    /// The write would leave a record its readers refuse (`RecordJudge`): nothing was written.
    case judged(String)
    /// The shared store's server could not be reached, or stopped answering before the write was
    /// sent to it: nothing of this write was committed there (hold and rollback then act on this
    /// machine's copy; see Cockpit+Offline).
    case unreachable(String)
    /// A piece of state.json read during the write was not as the journal vouched: nothing was
    /// written (`Store.append` decides again on the state rebuilt from the journal).
    case snapshotUnproven(String)

    public var description: String {
        switch self {
        case let .io(m): return m
        case let .newerFormat(m): return m
        case let .tornTail(line, bytes, file):
            return "\(file):\(line): the last line is incomplete (a torn write of \(bytes) bytes, probably from a crash). Nothing was changed. Run `golive journal repair` to move it aside before writing again."
        case let .corrupt(m): return m
        case let .judged(m): return m
        case let .unreachable(m): return m
        case let .snapshotUnproven(m): return "\(m); nothing was written"
        }
    }
}
