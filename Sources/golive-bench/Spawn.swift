import Foundation

/// Runs a command and reports its wall time and peak resident memory (from wait4's rusage).
struct Measured {
    var seconds: Double
    var maxRSSMB: Double
    var status: Int32
}

func measure(_ argv: [String], stdout: String = "/dev/null") -> Measured {
    // GNU time reports the child's own peak RSS; a child spawned straight from this process would
    // inherit this process's high-water mark through posix_spawn's shared address space.
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-time-\(getpid())").path
    let wrapped = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? ["/usr/bin/time", "-f", "%M", "-o", report] + argv : argv
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let cargs = wrapped.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    let start = DispatchTime.now().uptimeNanoseconds
    let rc = posix_spawnp(&pid, wrapped[0], &actions, nil, cargs, environ)
    posix_spawn_file_actions_destroy(&actions)
    guard rc == 0 else { fatalError("cannot start \(wrapped[0]): \(rc)") }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var rssKB = Double(usage.ru_maxrss)
    if wrapped.count > argv.count, let text = try? String(contentsOfFile: report, encoding: .utf8),
       let kb = Double(text.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") {
        rssKB = kb
    }
    return Measured(seconds: seconds, maxRSSMB: rssKB / 1024, status: (status >> 8) & 0xff)
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func timeIt(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakRSSMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { c, w in c.count >= w ? c : c + String(repeating: " ", count: w - c.count) }.joined(separator: " | ")
}
