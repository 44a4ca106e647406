import Foundation
import Testing
import GoLiveTestSupport
@testable import GoLiveCore

/// A parse kept across processes must be the parse, and must be believed only from the operator's
/// own folder (issue 14: rollout.yaml was parsed at every command).
@Suite struct ParsedConfigCacheTests {
    /// The sample rollout with everything a configuration can hold: team keys, tenants, hooks and
    /// alert routes, capabilities, probes, a policy with windows, freezes, break-glass and
    /// conditions of its own.
    static func richStore() throws -> URL {
        let dir = TestFolder.make("rich-config")
        let sample = try SampleData.locate()
        for name in ["rollout.yaml", "policy.yaml"] {
            try FileManager.default.copyItem(at: sample.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let policy = dir.appendingPathComponent("policy.yaml")
        var text = try String(contentsOf: policy, encoding: .utf8)
        text = text.replacingOccurrences(of: "    - oncall_owner\n", with: "    - oncall_owner\n    - high_risk_tested\n")
        text += """
          conditions:
            high_risk_tested:
              all_passed: [ownership.high_risk_flows_tested]
        """ + "\n" + ReleaseCalendarTests.calendarYAML
        try text.write(to: policy, atomically: true, encoding: .utf8)
        return dir
    }

    /// What names an entry: the digest of rollout.yaml's bytes.
    static func rolloutDigest(_ dir: URL) throws -> String { Digest.sha256Hex(try Data(contentsOf: dir.appendingPathComponent("rollout.yaml"))) }

    static func policyReader(_ dir: URL) -> (String) -> Data? {
        { FileManager.default.contents(atPath: dir.appendingPathComponent($0).path) }
    }

    @Test func aKeptParseIsTheParseOfEverythingAConfigurationHolds() throws {
        let dir = try Self.richStore()
        let fresh = try RolloutConfigParser.load(directory: dir)
        #expect(!fresh.policy.calendar.windows.isEmpty && !fresh.policy.calendar.freezes.isEmpty && !fresh.policy.customConditions.isEmpty)
        #expect(!fresh.team.flatMap(\.keys).isEmpty && !fresh.tenants.isEmpty && !fresh.alertRoutes.isEmpty && !fresh.capabilities.isEmpty)
        #expect(fresh.catalog.contains { $0.probe != nil } && fresh.catalog.contains { $0.derivedFromCapabilityField != nil })
        let cache = TestFolder.make("parsed")
        var parsed = fresh
        parsed.files = []
        parsed.sha256 = ""
        ParsedConfigCache.save(parsed, in: cache, directory: dir, rollout: try Self.rolloutDigest(dir),
                               policyBytes: FileManager.default.contents(atPath: dir.appendingPathComponent("policy.yaml").path))
        let kept = try #require(ParsedConfigCache.load(from: cache, directory: dir, rollout: try Self.rolloutDigest(dir), policyBytes: Self.policyReader(dir)))
        #expect(kept.config == parsed)
        #expect(kept.config.item("eval_slo.slo_defined") == fresh.item("eval_slo.slo_defined"))
        // Each definition found by id, in the catalog's order, without decoding the others; and
        // the probes' scripts named without decoding any (they are part of the configuration).
        let again = try #require(ParsedConfigCache.load(from: cache, directory: dir, rollout: try Self.rolloutDigest(dir), policyBytes: Self.policyReader(dir)))
        #expect(again.config.definitions.ids == fresh.catalog.map(\.id))
        for item in fresh.catalog { #expect(again.config.item(item.id) == item) }
        #expect(again.config.item("no.such_item") == nil)
        let scripts = RolloutConfigParser.scriptPaths(again.config)
        #expect(scripts.contains("scripts/check-oncall.sh") && scripts == RolloutConfigParser.scriptPaths(fresh))
    }

    /// The rich store's parse planted in a private cache, its catalog line edited by `edit` and
    /// the body's digest made right again: what only a golive bug could write.
    static func plantedWithCatalog(_ edit: (inout String, RolloutConfig) throws -> Void) throws -> (dir: URL, cache: URL, fresh: RolloutConfig) {
        let dir = try richStore()
        let fresh = try RolloutConfigParser.load(directory: dir)
        let cache = TestFolder.make("parsed")
        chmod(cache.path, 0o700)
        let url = try plant(fresh, in: cache, for: dir)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try edit(&lines[2], fresh)
        let body = Data((lines[1] + "\n" + lines[2..<lines.count].joined(separator: "\n")).utf8)
        lines[0] = "{\"format\":\(ParsedConfigCache.format),\"body_sha256\":\"\(Digest.sha256Hex(body))\"}"
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return (dir, cache, fresh)
    }

    /// A kept definition that does not decode (only a golive bug could write one: the entry is
    /// digest-checked and this binary's own) is never taken for "no such item" or dropped from
    /// the gate: the catalog is parsed again.
    @Test func aKeptDefinitionThatDoesNotDecodeIsParsedAgainNotDropped() throws {
        let target = "eval_slo.slo_defined"
        // One definition's severity made unreadable.
        let (dir, cache, fresh) = try Self.plantedWithCatalog { catalog, fresh in
            let severity = try #require(fresh.item(target)?.severity.rawValue)
            let start = try #require(catalog.range(of: "\"\(target)\":{"))
            let field = try #require(catalog.range(of: "\"severity\":\"\(severity)\"", range: start.upperBound..<catalog.endIndex))
            catalog.replaceSubrange(field, with: "\"severity\":\"sometimes\"")
        }
        let reparsed = Locked(0)
        let kept = try #require(ParsedConfigCache.load(from: cache, directory: dir, rollout: try Self.rolloutDigest(dir), policyBytes: Self.policyReader(dir),
                                                       reparse: { reparsed.withLock { $0 += 1 }; return fresh.catalog }))
        #expect(kept.config.item("runtime.happy_path") == fresh.item("runtime.happy_path"))
        #expect(reparsed.withLock { $0 } == 0, "the other definitions still decode one by one")
        #expect(kept.config.item(target) == fresh.item(target))
        #expect(kept.config.catalog == fresh.catalog)
        #expect(reparsed.withLock { $0 } >= 1)
    }

    /// A definition kept under another item's id is not that item's definition.
    @Test func aDefinitionKeptUnderAnotherIdIsNotBelieved() throws {
        let (dir, cache, fresh) = try Self.plantedWithCatalog { catalog, _ in
            catalog = catalog.replacingOccurrences(of: "\"operations.runbook\":{", with: "\"operations.runbook.x\":{")
                .replacingOccurrences(of: "\"eval_slo.slo_defined\":{", with: "\"operations.runbook\":{")
                .replacingOccurrences(of: "\"operations.runbook.x\":{", with: "\"eval_slo.slo_defined\":{")
        }
        let kept = try #require(ParsedConfigCache.load(from: cache, directory: dir, rollout: try Self.rolloutDigest(dir), policyBytes: Self.policyReader(dir),
                                                       reparse: { fresh.catalog }))
        #expect(kept.config.item("operations.runbook") == fresh.item("operations.runbook"))
        #expect(kept.config.item("eval_slo.slo_defined") == fresh.item("eval_slo.slo_defined"))
    }

    /// Writes an entry for `dir`'s bytes holding `config`: what an attacker could write with a
    /// correct digest, to show what stops it is where the entry lives.
    static func plant(_ config: RolloutConfig, in cache: URL, for dir: URL) throws -> URL {
        let key = try #require(ParsedConfigCache.key(directory: dir, rollout: try rolloutDigest(dir)))
        let url = cache.appendingPathComponent("\(key).json")
        let policy = FileManager.default.contents(atPath: dir.appendingPathComponent("policy.yaml").path)
        try Data(try ParsedConfigCache.encode(config, policyBytes: policy)).write(to: url)
        chmod(url.path, 0o600)
        return url
    }

    static func forged(_ dir: URL) throws -> RolloutConfig {
        var config = try RolloutConfigParser.load(directory: dir)
        config.catalog[0].title = "FORGED"
        return config
    }

    /// A store, a private cache folder, and a forged entry planted in it for the store's bytes.
    static func planted() throws -> (dir: URL, cache: URL, entry: URL) {
        let dir = try richStore()
        let cache = TestFolder.make("parsed")
        chmod(cache.path, 0o700)
        return (dir, cache, try plant(try forged(dir), in: cache, for: dir))
    }

    /// The first item's title as the cache gives it for `dir`, nil when the entry is not believed.
    static func firstTitle(_ dir: URL, _ cache: URL) -> String? {
        ParsedConfigCache.load(from: cache, directory: dir, rollout: try! rolloutDigest(dir), policyBytes: policyReader(dir))?.config.catalog[0].title
    }

    @Test func anEntryIsBelievedOnlyFromAFolderAndFileOfOurOwnThatNoOneElseMayWrite() throws {
        let (dir, cache, entry) = try Self.planted()
        func title() -> String? { Self.firstTitle(dir, cache) }
        // Our own folder, our own file: believed (so the folder is what must be protected).
        #expect(title() == "FORGED")
        chmod(cache.path, 0o770)
        #expect(title() == nil, "a folder others may write is not trusted")
        chmod(cache.path, 0o700)
        chmod(entry.path, 0o666)
        #expect(title() == nil, "a file others may write is not trusted")
        chmod(entry.path, 0o600)
        #expect(chown(entry.path, 65534, 65534) == 0 || getuid() != 0)
        if getuid() == 0 { #expect(title() == nil, "a file someone else owns is not trusted") }
        try FileManager.default.removeItem(at: entry)
        let elsewhere = TestFolder.file("planted.json")
        _ = try Self.plant(try Self.forged(dir), in: cache, for: dir)
        try FileManager.default.moveItem(at: entry, to: elsewhere)
        try FileManager.default.createSymbolicLink(at: entry, withDestinationURL: elsewhere)
        #expect(title() == nil, "a link is not followed")
    }

    @Test func aChangedBodyAnEditedRolloutOrAnEditedPolicyIsParsedAgain() throws {
        let (dir, cache, entry) = try Self.planted()
        func title() -> String? { Self.firstTitle(dir, cache) }
        #expect(title() == "FORGED")
        // The body edited without its digest: a torn or corrupted entry.
        var bytes = try Data(contentsOf: entry)
        let at = try #require(bytes.range(of: Data("FORGED".utf8)))
        bytes.replaceSubrange(at, with: Data("FORGES".utf8))
        try bytes.write(to: entry)
        #expect(title() == nil)
        // An edited policy file: the entry's policy digest no longer matches.
        _ = try Self.plant(try Self.forged(dir), in: cache, for: dir)
        #expect(title() == "FORGED")
        let policy = dir.appendingPathComponent("policy.yaml")
        try (try String(contentsOf: policy, encoding: .utf8) + "# edited\n").write(to: policy, atomically: true, encoding: .utf8)
        #expect(title() == nil)
        // An edited rollout.yaml names another entry.
        _ = try Self.plant(try Self.forged(dir), in: cache, for: dir)
        #expect(title() == "FORGED")
        let rollout = dir.appendingPathComponent("rollout.yaml")
        try (try String(contentsOf: rollout, encoding: .utf8) + "# edited\n").write(to: rollout, atomically: true, encoding: .utf8)
        #expect(title() == nil)
        // Another store with the same bytes names another entry too.
        let other = try Self.richStore()
        _ = try Self.plant(try Self.forged(dir), in: cache, for: dir)
        #expect(ParsedConfigCache.load(from: cache, directory: other, rollout: try Self.rolloutDigest(dir), policyBytes: Self.policyReader(dir)) == nil)
    }

    @Test func theCacheKeepsAFewEntriesNotEveryConfigurationEverParsed() throws {
        let cache = TestFolder.make("parsed")
        chmod(cache.path, 0o700)
        let dir = try Self.richStore()
        let config = try RolloutConfigParser.load(directory: dir)
        for i in 0..<(ParsedConfigCache.kept + 5) {
            ParsedConfigCache.save(config, in: cache, directory: dir, rollout: Digest.sha256Hex(Data("name: r\(i)\n".utf8)), policyBytes: nil)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(names.count == ParsedConfigCache.kept, "\(names)")
        #expect(!names.contains { $0.hasSuffix(".tmp") })
    }
}
