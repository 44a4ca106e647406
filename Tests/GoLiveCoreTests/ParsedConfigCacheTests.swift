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

    /// The digest of an entry's body, as an adoption that vouched for it would name it.
    static func bodyDigest(_ entry: URL) throws -> String {
        let bytes = try Data(contentsOf: entry)
        return Digest.sha256Hex(bytes[(bytes.firstIndex(of: 0x0A)! + 1)...])
    }

    /// The entry kept for `dir`'s bytes, believed only if its body is `vouched`.
    static func kept(_ dir: URL, _ cache: URL, vouched: String, reparse: @escaping @Sendable () -> [ItemDefinition]? = { nil }) -> RolloutConfig? {
        ParsedConfigCache.load(from: cache, rollout: try! rolloutDigest(dir), vouched: vouched, policyBytes: policyReader(dir), reparse: reparse)
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
        let policyBytes = FileManager.default.contents(atPath: dir.appendingPathComponent("policy.yaml").path)
        ParsedConfigCache.save(parsed, in: cache, rollout: try Self.rolloutDigest(dir), policyBytes: policyBytes)
        // What an adoption of these files names, from the parse of its own texts: the same digest.
        let vouched = try #require(ParsedConfigCache.parsedDigest(of: fresh))
        let adopted = try RolloutConfigParser.parse(adopted: fresh.files)
        #expect(ParsedConfigCache.parsedDigest(of: adopted) == vouched)


        let kept = try #require(Self.kept(dir, cache, vouched: vouched))
        #expect(kept == parsed)
        #expect(kept.item("eval_slo.slo_defined") == fresh.item("eval_slo.slo_defined"))
        // Each definition found by id, in the catalog's order, without decoding the others; and
        // the probes' scripts named without decoding any (they are part of the configuration).
        let again = try #require(Self.kept(dir, cache, vouched: vouched))
        #expect(again.definitions.ids == fresh.catalog.map(\.id))
        for item in fresh.catalog { #expect(again.item(item.id) == item) }
        #expect(again.item("no.such_item") == nil)
        let scripts = RolloutConfigParser.scriptPaths(again)
        #expect(scripts.contains("scripts/check-oncall.sh") && scripts == RolloutConfigParser.scriptPaths(fresh))
    }

    /// The rich store's parse planted in a private cache, its catalog line edited by `edit` and
    /// the body's digest made right again: what only a golive bug could write.
    static func plantedWithCatalog(_ edit: (inout String, RolloutConfig) throws -> Void) throws -> (dir: URL, cache: URL, fresh: RolloutConfig, vouched: String) {
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
        return (dir, cache, fresh, Digest.sha256Hex(body))
    }

    /// A kept definition that does not decode (only a golive bug could write one: the entry is
    /// digest-checked and this binary's own) is never taken for "no such item" or dropped from
    /// the gate: the catalog is parsed again.
    @Test func aKeptDefinitionThatDoesNotDecodeIsParsedAgainNotDropped() throws {
        let target = "eval_slo.slo_defined"
        // One definition's severity made unreadable.
        let (dir, cache, fresh, vouched) = try Self.plantedWithCatalog { catalog, fresh in
            let severity = try #require(fresh.item(target)?.severity.rawValue)
            let start = try #require(catalog.range(of: "\"\(target)\":{"))
            let field = try #require(catalog.range(of: "\"severity\":\"\(severity)\"", range: start.upperBound..<catalog.endIndex))
            catalog.replaceSubrange(field, with: "\"severity\":\"sometimes\"")
        }
        let reparsed = Locked(0)
        let catalog = fresh.catalog
        let found = Self.kept(dir, cache, vouched: vouched, reparse: { reparsed.withLock { $0 += 1 }; return catalog })
        let kept = try #require(found)
        #expect(kept.item("runtime.happy_path") == fresh.item("runtime.happy_path"))
        #expect(reparsed.withLock { $0 } == 0, "the other definitions still decode one by one")
        #expect(kept.item(target) == fresh.item(target))
        #expect(kept.catalog == fresh.catalog)
        #expect(reparsed.withLock { $0 } >= 1)
    }

    /// A definition kept under another item's id is not that item's definition.
    @Test func aDefinitionKeptUnderAnotherIdIsNotBelieved() throws {
        let (dir, cache, fresh, vouched) = try Self.plantedWithCatalog { catalog, _ in
            catalog = catalog.replacingOccurrences(of: "\"operations.runbook\":{", with: "\"operations.runbook.x\":{")
                .replacingOccurrences(of: "\"eval_slo.slo_defined\":{", with: "\"operations.runbook\":{")
                .replacingOccurrences(of: "\"operations.runbook.x\":{", with: "\"eval_slo.slo_defined\":{")
        }
        let catalog = fresh.catalog
        let found = Self.kept(dir, cache, vouched: vouched, reparse: { catalog })
        let kept = try #require(found)
        #expect(kept.item("operations.runbook") == fresh.item("operations.runbook"))
        #expect(kept.item("eval_slo.slo_defined") == fresh.item("eval_slo.slo_defined"))
    }

    /// Writes an entry for `dir`'s bytes holding `config`: what an attacker could write with a
    /// correct digest of its own.
    static func plant(_ config: RolloutConfig, in cache: URL, for dir: URL) throws -> URL {
        let key = try #require(ParsedConfigCache.key(rollout: try rolloutDigest(dir)))
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

    /// The first item's title as the cache gives it for `dir` when an adoption vouches for the
    /// planted entry's body (what this test is not about), nil when the entry is not believed.
    static func firstTitle(_ dir: URL, _ cache: URL) -> String? {
        let key = ParsedConfigCache.key(rollout: try! rolloutDigest(dir))!
        guard let vouched = try? bodyDigest(cache.appendingPathComponent("\(key).json")) else { return nil }
        return kept(dir, cache, vouched: vouched)?.catalog[0].title
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
    }

    @Test func theCacheKeepsAFewEntriesNotEveryConfigurationEverParsed() throws {
        let cache = TestFolder.make("parsed")
        chmod(cache.path, 0o700)
        let dir = try Self.richStore()
        let config = try RolloutConfigParser.load(directory: dir)
        for i in 0..<(ParsedConfigCache.kept + 5) {
            ParsedConfigCache.save(config, in: cache, rollout: Digest.sha256Hex(Data("name: r\(i)\n".utf8)), policyBytes: nil)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(names.count == ParsedConfigCache.kept, "\(names)")
        #expect(!names.contains { $0.hasSuffix(".tmp") })
    }
}

extension ParsedConfigCacheTests {
    /// The disk load checks the files on disk against the configuration in force. That check
    /// once kept the in-force parse under the digest of the edited files, so a proposal of them
    /// (or any later read of those files) was judged as the old policy: a policy edited on disk
    /// so that it no longer parses must leave no parse at all under its files' digest.
    @Test func checkingTheDiskAgainstTheConfigurationInForceKeepsNothingUnderTheEditedFiles() throws {
        let store = try Fixtures.sampleStore()
        let inForce = try store.loadConfig()
        #expect(RolloutConfigParser.inForceMemo(inForce.sha256) != nil, "the configuration in force was judged while the state was read")
        let policyURL = store.directory.appendingPathComponent("policy.yaml")
        let edited = Data((try String(contentsOf: policyURL, encoding: .utf8) + "# \(UUID())\nrequire: [unclosed\n").utf8)
        try edited.write(to: policyURL)
        #expect(throws: (any Error).self) { try Store(directory: store.directory).loadConfig() }
        let files = inForce.files.map { $0.path == inForce.policyFile ? ConfigFile(path: $0.path, bytes: edited, alwaysText: true) : $0 }
        #expect(RolloutConfigParser.inForceMemo(ConfigFile.digest(files)) == nil, "a parse of other texts is kept under the edited files' digest")
    }
}

/// The tests that point this process's cache at a folder of their own: one at a time.
@Suite(.serialized) struct ParsedConfigCacheVouchTests {
    typealias T = ParsedConfigCacheTests

    /// A private cache folder this process's golive now keeps its parses in.
    static func ownCache(_ name: String) -> URL {
        let cache = TestFolder.make(name)
        chmod(cache.path, 0o700)
        ParsedConfigCache.use(folder: cache)
        return cache
    }

    /// Issue 25, finding 11: an entry edited in the operator's cache, its own digest made right
    /// again, turned the gate READY and had a blocker's result written unsigned. An entry is now
    /// believed only as the adoption in force vouches for it (`parsed_sha256`, in a record the
    /// judge let stand): a forged one makes golive parse, and changes nothing it shows.
    @Test func aForgedEntryWithItsOwnDigestRightChangesNothing() throws {
        let cache = Self.ownCache("parsed-forged")
        defer { ParsedConfigCache.use(folder: nil) }
        let store = try Fixtures.sampleStore()
        // A real adoption (the sample's own predates parsed_sha256): its record vouches for the parse.
        let rollout = store.rolloutURL
        try (try String(contentsOf: rollout, encoding: .utf8) + "# adopted again\n").write(to: rollout, atomically: true, encoding: .utf8)
        try Cockpit(store: store).adoptConfiguration(reason: "a comment", as: Fixtures.actor("alice"))
        let record = try #require(try store.recentEvents(limit: 10).first { $0.kind == .configAdopted })
        let genuine = try RolloutConfigParser.load(directory: store.directory)
        #expect(record.data.parsedSha256 == ParsedConfigCache.parsedDigest(of: genuine))
        let blocker = try #require(genuine.catalog.first { $0.severity == .blocker })
        // The attacker's entry: the blocker made minor and retitled, the header's digest right.
        var forged = genuine
        forged.files = []
        forged.sha256 = ""
        let index = try #require(forged.catalog.firstIndex { $0.id == blocker.id })
        forged.catalog[index].severity = .advisory
        forged.catalog[index].title = "FORGED"
        let key = try #require(ParsedConfigCache.key(rollout: Digest.sha256Hex(try Data(contentsOf: rollout))))
        let policy = genuine.policyFile.flatMap { FileManager.default.contents(atPath: store.directory.appendingPathComponent($0).path) }
        let entry = cache.appendingPathComponent("\(key).json")
        func plant() throws {
            try Data(try ParsedConfigCache.encode(forged, policyBytes: policy)).write(to: entry)
            chmod(entry.path, 0o600)
        }
        try plant()
        #expect(try ParsedConfigCache.decode(Array(try Data(contentsOf: entry))).entry.config.catalog.contains { $0.title == "FORGED" }, "the entry is well formed")
        // Every way a command reads the configuration: from disk, in force, and the gate's.
        RolloutConfigParser.forgetParses()
        let fresh = Store(directory: store.directory)
        #expect(try fresh.loadConfig().item(blocker.id)?.title == blocker.title)
        #expect(try fresh.loadConfig().item(blocker.id)?.severity == .blocker)
        let files = try #require(try fresh.adoptedFiles(try fresh.loadState().state))
        RolloutConfigParser.forgetParses()
        #expect(try RolloutConfigParser.inForce(files: files, vouched: record.data.parsedSha256).item(blocker.id)?.title == blocker.title)
        let (verdict, _) = try Cockpit(store: Store(directory: store.directory)).gate()
        #expect(verdict.unmet.isEmpty == false)
        // The parse made meanwhile replaced the forged entry, and is read as the adoption vouches.
        #expect(RolloutConfigParser.keptParse(files, vouched: try #require(record.data.parsedSha256))?.item(blocker.id)?.title == blocker.title)
        // The forged entry, were an adoption to vouch for it, would be read: what is checked is the vouch.
        try plant()
        #expect(RolloutConfigParser.keptParse(files, vouched: try T.bodyDigest(entry))?.item(blocker.id)?.title == "FORGED")
        // In a new process (this one remembers the parse it read as vouched), nothing is believed.
        RolloutConfigParser.forgetParses()
        #expect(RolloutConfigParser.keptParse(files, vouched: try #require(record.data.parsedSha256)) == nil)
    }

    /// Issue 30, finding 7: `audit verify` parsed the adopted rollout.yaml again for its roster
    /// history (0.45 s at 8,000 items) although the judge had just read the parse the adoption
    /// vouches for. The history now reads that same parse.
    @Test func theRosterHistoryReadsTheParseTheAdoptionVouchesFor() throws {
        _ = Self.ownCache("parsed-roster")
        defer { ParsedConfigCache.use(folder: nil) }
        let store = try Fixtures.sampleStore()
        let rollout = store.rolloutURL
        try (try String(contentsOf: rollout, encoding: .utf8) + "# \(UUID().uuidString)\n").write(to: rollout, atomically: true, encoding: .utf8)
        try Cockpit(store: store).adoptConfiguration(reason: "a comment", as: Fixtures.actor("alice"))
        RolloutConfigParser.forgetParses()
        var history = RosterHistory()
        var parsedFor: [Int: Int] = [:]
        _ = try Store.judgedRebuild(of: store.journalURL) { e, _ in
            guard e.kind == .configAdopted else { return }
            let parses = RolloutConfigParser.ParseCount()
            RolloutConfigParser.$parses.withValue(parses) { history.observe(e) }
            parsedFor[e.seq] = parses.count
        }
        let vouched = try #require(try store.recentEvents(limit: 10).first { $0.kind == .configAdopted && $0.data.parsedSha256 != nil })
        #expect(history.adoptions.map(\.seq).contains(vouched.seq))
        #expect(history.roster(at: vouched.seq)?.team.map(\.id) == (try RolloutConfigParser.load(directory: store.directory)).team.map(\.id))
        #expect(parsedFor[vouched.seq] == 0, "the adoption's texts were parsed again for the roster")
    }

    /// A record the judge has not let stand (a forged adoption, judged with its own kept parse)
    /// vouches for that parse within its own judgement only: the process goes on with the parse
    /// of the texts, not with what the refused record named.
    @Test func aParseVouchedByARecordNotYetJudgedIsNotShared() throws {
        let cache = Self.ownCache("parsed-unjudged")
        defer { ParsedConfigCache.use(folder: nil) }
        let dir = try T.richStore()
        // Texts of its own: another test parsing the sample meanwhile keeps a parse of those texts
        // in memory, which inForce would rightly serve before any cache entry.
        let rollout = dir.appendingPathComponent("rollout.yaml")
        try (try String(contentsOf: rollout, encoding: .utf8) + "\n# \(UUID().uuidString)\n").write(to: rollout, atomically: true, encoding: .utf8)
        RolloutConfigParser.forgetParses()
        let genuine = try RolloutConfigParser.load(directory: dir)
        var forged = genuine
        forged.catalog[0].title = "FORGED"
        let entry = try T.plant(forged, in: cache, for: dir)
        RolloutConfigParser.forgetParses()
        let judged = try RolloutConfigParser.inForce(files: genuine.files, vouched: try T.bodyDigest(entry), stands: false)
        #expect(judged.catalog[0].title == "FORGED", "the record's own judgement reads what it vouches for")
        #expect(RolloutConfigParser.inForceMemo(genuine.sha256)?.catalog[0].title != "FORGED")
        #expect(try RolloutConfigParser.inForce(files: genuine.files).catalog[0].title == genuine.catalog[0].title)
    }
}

