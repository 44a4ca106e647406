import Foundation
import GoLiveCore

/// Runs a command and reports its wall time and peak resident memory (from wait4's rusage).
struct Measured {
    var seconds: Double
    var maxRSSMB: Double
    var status: Int32
    /// User and system CPU of the process (and of /usr/bin/time around it, when it was wrapped).
    var cpuSeconds: Double = 0
}

/// The child alone, no /usr/bin/time around it: for a start-up floor, where time's own start
/// would weigh.
func measureBare(_ argv: [String]) -> Measured {
    guard let child = try? ChildProcess.run(argv, .init(stdout: .null, stderr: .null)) else { fatalError("cannot start \(argv[0])") }
    return Measured(seconds: child.seconds, maxRSSMB: Double(child.maxRSSKB) / 1024, status: child.exitCode ?? 128, cpuSeconds: child.cpuSeconds)
}

/// A C program that appends N bytes to a file and fsyncs it: the floor under a write (a process
/// start, one append, one fsync), built with the system's cc into `dir`; nil without a cc.
func appendFloor(in dir: URL) -> String? {
    let source = dir.appendingPathComponent("append-fsync.c"), binary = dir.appendingPathComponent("append-fsync").path
    let c = """
    #include <fcntl.h>
    #include <stdlib.h>
    #include <unistd.h>
    int main(int argc, char **argv) {
        if (argc != 3) return 2;
        int n = atoi(argv[2]);
        char *bytes = calloc(n, 1);
        int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (fd < 0 || write(fd, bytes, n) != n || fsync(fd) != 0) return 1;
        return close(fd);
    }
    """
    guard (try? Data(c.utf8).write(to: source)) != nil,
          let made = try? ChildProcess.run(["cc", "-O2", "-o", binary, source.path]), made.exitCode == 0 else { return nil }
    return binary
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
    return Measured(seconds: seconds, maxRSSMB: rssKB / 1024, status: child.exitCode ?? 128, cpuSeconds: child.cpuSeconds)
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
