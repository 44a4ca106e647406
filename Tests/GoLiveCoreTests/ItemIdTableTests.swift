import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// The catalog's ids found from their bytes say what the catalog's own index says: each id's
/// position (the first, for an id named twice), and nothing for an id it does not hold.
@Suite struct ItemIdTableTests {
    @Test func eachIdIsFoundWhereTheCatalogHasIt() {
        var random = SeededGenerator(seed: 30)
        let letters = Array("abcdefghijklmnopqrstuvwxyz_.0123456789")
        func id() -> String { String((0..<Int.random(in: 0...30, using: &random)).map { _ in letters.randomElement(using: &random)! }) }
        var ids = (0..<5_000).map { _ in id() }
        ids += ["eval_slo.extra_1005", "eval_slo.extra_1005", "ünïcode.item", ""] + ids.prefix(50)
        let table = ItemIdTable(ids: ids)
        let index = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for probe in ids + (0..<5_000).map({ _ in id() + "x" }) + ["eval_slo.extra_100", "eval_slo.extra_10055", "ünïcode"] {
            var probe = probe
            let found = probe.withUTF8 { table.position(of: $0) }
            #expect(found == index[probe], "\(probe)")
        }
    }
}
