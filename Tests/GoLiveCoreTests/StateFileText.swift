import Foundation
import Testing
@testable import GoLiveCore

/// state.json as someone with write access edits it by hand: its header, its state (what the
/// journal commits to) and the pieces of its items, each a line.
struct StateFileText {
    var header: [String: Any]
    var state: [String: Any]
    /// The state's bytes as read (what the journal committed to, if it did).
    var stateBytes: Data
    var pieces: [Data]

    static func read(_ store: Store) throws -> StateFileText {
        let lines = try Data(contentsOf: store.snapshotURL).split(separator: 0x0a, omittingEmptySubsequences: false)
        try #require(lines.count == 2 + SnapshotPieceFile.count + 1 && lines.last!.isEmpty, "state.json is a header, the state and \(SnapshotPieceFile.count) pieces")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any])
        let state = try #require(try JSONSerialization.jsonObject(with: Data(lines[1])) as? [String: Any])
        return StateFileText(header: header, state: state, stateBytes: Data(lines[1]), pieces: lines[2..<(2 + SnapshotPieceFile.count)].map { Data($0) })
    }

    /// Edits item `id` where it lies; `fixingTable`: its piece's length and digest in the state
    /// made to match the edit (else the state still lists the piece as it was).
    mutating func editItem(_ id: String, fixingTable: Bool, _ edit: (inout [String: Any]) -> Void) throws {
        let k = SnapshotPieceFile.piece(of: id)
        var piece = try #require(try JSONSerialization.jsonObject(with: pieces[k]) as? [String: Any])
        var item = try #require(piece[id] as? [String: Any], "\(id) is in piece \(k)")
        edit(&item)
        piece[id] = item
        pieces[k] = try JSONSerialization.data(withJSONObject: piece, options: [.sortedKeys, .withoutEscapingSlashes])
        guard fixingTable else { return }
        var table = try #require(state["items"] as? [[Any]])
        table[k] = [pieces[k].count, Digest.sha256Hex(pieces[k])]
        state["items"] = table
    }

    /// Written back in place, the header's length of the state made right.
    func write(_ store: Store) throws {
        let stateData = try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys, .withoutEscapingSlashes])
        var header = header
        header["state_length"] = stateData.count
        var out = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        for line in [stateData] + pieces {
            out.append(0x0a)
            out.append(line)
        }
        out.append(0x0a)
        try out.write(to: store.snapshotURL)
    }
}
