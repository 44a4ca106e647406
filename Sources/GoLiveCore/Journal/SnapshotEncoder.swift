import Foundation

/// Writes state.json's state: everything but the items through JSONEncoder, the items by
/// `ItemStates.appendJSON`, which copies the unchanged ones as the bytes they were read from.
/// SnapshotDecoder reads it back; a digest of it is what the journal commits to.
enum SnapshotEncoder {
    static func encode(_ state: RolloutState) throws -> [UInt8] {
        let encoder = JSONCoding.encoder()
        var shell = state
        shell.items = [:]
        let outer = [UInt8](try encoder.encode(shell))
        // Where the (empty) items object is, found by reading the top level: never by searching
        // for its text, which a note could contain.
        var slot: Range<Int>?
        try outer.withUnsafeBufferPointer { bytes in
            var r = JSONReader(bytes: bytes, subject: "an encoded state")
            try r.fields { r, key in
                r.skipSpace()
                let start = r.i
                try r.skipValue()
                if case "items" = key { slot = start..<r.i }
            }
        }
        guard let slot else { throw JSONReader.Malformed(description: "an encoded state without items") }
        var out: [UInt8] = []
        out.reserveCapacity(outer.count + (state.items.keptBytes ?? 0) + 4096)
        out.append(contentsOf: outer[..<slot.lowerBound])
        try state.items.appendJSON(to: &out, encoder: encoder)
        out.append(contentsOf: outer[slot.upperBound...])
        return out
    }
}
