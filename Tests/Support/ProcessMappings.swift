import Foundation

/// A process's memory mappings as the kernel lists them in /proc/PID/smaps: where each lies, its
/// name, and its VmFlags (`hg`: advised to use transparent huge pages).
public struct ProcessMappings {
    public struct Mapping {
        public var start: UInt, end: UInt
        public var name: String
        public var flags: [String]
    }

    public let all: [Mapping]

    /// nil when the file cannot be read (no such process).
    public init?(pid: String = "self") {
        // Read to its end: /proc's files say they are empty.
        guard let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(pid)/smaps")).readToEnd() else { return nil }
        var found: [Mapping] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.contains("-"), !first.hasSuffix(":") {
                let ends = first.split(separator: "-").compactMap { UInt($0, radix: 16) }
                guard ends.count == 2 else { continue }
                found.append(Mapping(start: ends[0], end: ends[1], name: fields.count > 5 ? fields[5...].joined(separator: " ") : "", flags: []))
            } else if first == "VmFlags:", !found.isEmpty {
                found[found.count - 1].flags = fields.dropFirst().map(String.init)
            }
        }
        all = found
    }

    /// The mapping holding `address`.
    public func holding(_ address: UInt) -> Mapping? { all.first { $0.start <= address && address < $0.end } }
}
