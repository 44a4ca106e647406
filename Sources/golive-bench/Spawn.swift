import Foundation
import GoLiveCore

/// Runs a command and reports its wall time and peak resident memory (from wait4's rusage).
struct Measured {
    var seconds: Double
    var maxRSSMB: Double
    var status: Int32
}

func measure(_ argv: [String], stdout: String = "/dev/null") -> Measured {
    // GNU time reports the child's own peak RSS; a child spawned straight from this process would
    // inherit this process's high-water mark (the spawn shares the address space until exec).
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("golive-bench-time-\(getpid())").path
    let wrapped = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? ["/usr/bin/time", "-f", "%M", "-o", report] + argv : argv
    let child: ChildProcess.Result
    do {
        child = try ChildProcess.run(wrapped, .init(stdout: .file(stdout), stderr: .null))
    } catch {
        fatalError("\(error)")
    }
    let seconds = child.seconds
    var rssKB = Double(child.maxRSSKB)
    if wrapped.count > argv.count, let text = try? String(contentsOfFile: report, encoding: .utf8),
       let kb = Double(text.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") {
        rssKB = kb
    }
    return Measured(seconds: seconds, maxRSSMB: rssKB / 1024, status: child.exitCode ?? 128)
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
