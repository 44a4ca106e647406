import Foundation
import GoLiveCore

enum ProcessTable {
    /// Live processes of a process group (a zombie awaiting its reaper is dead already).
    static func live(inGroup group: Int32) throws -> [String] {
        let text = try ChildProcess.run(["ps", "-e", "-o", "pgid=,stat=,args="], .init(stderr: .null)).stdout.text
        return text.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ").map(String.init)
            return fields.count >= 2 && fields[0] == String(group) && !fields[1].hasPrefix("Z")
        }.map(String.init)
    }

    /// Waits until the group is gone or the deadline passes; returns what is left.
    static func waitGone(_ group: Int32, seconds: Double = 3) throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var left = try live(inGroup: group)
        while !left.isEmpty && Date() < deadline { usleep(50_000); left = try live(inGroup: group) }
        return left
    }
}
