import Foundation
import Testing
import GoLiveCore

/// What a CI script leans on: lists of ids, waiting with distinct exit codes.
@Suite struct ScriptingCLITests {
    @Test func itemsBlockersListExactlyTheBlockersStatusShows() throws {
        let store = try CLI.sampleStore()
        let status = try CLI.run(["status"], store: store)
        let shown = status.out.components(separatedBy: "Open blockers (").dropFirst().first?
            .split(separator: "\n").dropFirst().prefix { $0.hasPrefix("  ") }
            .compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) } ?? []
        #expect(!shown.isEmpty, "\(status.out)")
        let items = try CLI.run(["items", "--blockers", "--json"], store: store)
        #expect(items.code == 0, "\(items.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(items.out.utf8)) as? [[String: Any]])
        #expect(rows.compactMap { $0["id"] as? String } == shown)
        #expect(rows.allSatisfy { $0["severity"] as? String == "blocker" && $0["standing"] as? String != "satisfied" })
        // Every listed id is one `golive item` takes.
        for id in rows.compactMap({ $0["id"] as? String }) {
            #expect(try CLI.run(["item", id], store: store).code == 0)
        }
        let safety = try CLI.run(["items", "--contour", "safety", "--owner", "safety"], store: store)
        #expect(safety.code == 0 && safety.out.hasPrefix("id ") && safety.out.contains("safety."), "\(safety.out)")
        let typo = try CLI.run(["items", "--contour", "saftey"], store: store)
        #expect(typo.code == 2 && typo.err.contains("unknown contour 'saftey'; did you mean 'safety'?"), "\(typo.err)")
        let nobody = try CLI.run(["items", "--owner", "nobody"], store: store)
        #expect(nobody.code == 2 && nobody.err.contains("no item is owned by 'nobody'"), "\(nobody.err)")
    }
}
