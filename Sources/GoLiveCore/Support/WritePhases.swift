import Foundation

/// Where a process's time goes, for the benchmarks (`scripts/bench-postgres.py`): with
/// GOLIVE_PHASES=FILE, each golive process appends one line at exit, `name=milliseconds` for each
/// phase measured (summed when a phase happens more than once). Off, it costs one branch.
public enum WritePhases {
    /// One variable read, not the whole environment made into a dictionary (every command asks).
    static let file: String? = SystemCall.environmentVariable("GOLIVE_PHASES").flatMap { $0.isEmpty ? nil : $0 }
    static let times = Locked<[(String, Double)]>([])
    static let registered = Locked(false)

    public static var enabled: Bool { file != nil }

    /// Marks the start of main: the line then also says how long main ran ("main").
    public static func start() {
        guard enabled else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        mainStarted.withLock { $0 = started }
        flushAtExit()
    }

    static let mainStarted = Locked<UInt64>(0)

    @discardableResult
    public static func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        return try body()
    }

    public static func add(_ name: String, seconds: Double) {
        guard enabled else { return }
        times.withLock { all in
            if let i = all.firstIndex(where: { $0.0 == name }) { all[i].1 += seconds } else { all.append((name, seconds)) }
        }
        flushAtExit()
    }

    static func flushAtExit() {
        if registered.withLock({ was in defer { was = true }; return !was }) { atexit { WritePhases.flush() } }
    }

    /// Writes the line of one command and starts the next afresh: for the store agent, which runs many.
    public static func finishCommand() {
        guard enabled else { return }
        flush()
        times.withLock { $0.removeAll() }
        mainStarted.withLock { $0 = 0 }
    }

    static func flush() {
        guard let file else { return }
        let started = mainStarted.withLock { $0 }
        guard started > 0 || !times.withLock({ $0.isEmpty }) else { return }
        if started > 0 { times.withLock { $0.append(("main", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)) } }
        let line = times.withLock { $0.map { "\($0.0)=\(String(format: "%.3f", $0.1 * 1000))" }.joined(separator: " ") } + "\n"
        guard let fd = try? SystemCall.openFile(file, O_WRONLY | O_APPEND | O_CREAT) else { return }
        try? SystemCall.writeAll(fd, Array(line.utf8), path: file)
        SystemCall.closeFile(fd)
    }
}
