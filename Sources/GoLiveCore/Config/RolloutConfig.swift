import Foundation
import Yams

/// rollout.yaml: the human-written description of one go-live. Edited by people, read by GoLive,
/// never written back by it.
public struct RolloutConfig: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var description: String = ""
    public var policy: Policy
    public var policyFile: String?
    /// The item definitions, in order (`definitions` holds them, decoded as they are asked for).
    public var catalog: [ItemDefinition] {
        get { definitions.all }
        set { definitions = ItemCatalog(newValue) }
    }
    public var definitions = ItemCatalog([])
    public var capabilities: [Capability] = []
    public var team: [Operator] = []
    /// Whether decisions must be signed with the operators' keys. A rollout.yaml without
    /// `identity:` predates signing and runs on typed names, shown as UNSIGNED everywhere.
    public var identity: IdentityMode = .names
    public var tenants: [Tenant] = []
    public var transitionHook: String?
    /// `hooks.alert`: who hears about what without watching a screen.
    public var alertRoutes: [AlertRoute] = []
    /// The digest of `files` (see ConfigFile.digest): part of the state a verdict was computed on,
    /// and what the journal records as adopted.
    public var sha256: String = ""
    /// rollout.yaml, the policy and the scripts, as read.
    public var files: [ConfigFile] = []

    /// What the parsed-configuration cache keeps through Codable: the catalog is kept its own,
    /// faster way (ParsedConfigCache), and the files and their digest are read anew at every load.
    enum CodingKeys: String, CodingKey {
        case name, version, description, policy, policyFile, capabilities, team, identity, tenants, transitionHook, alertRoutes
    }

    public func item(_ id: String) -> ItemDefinition? { definitions.item(id) }

    public func requireItem(_ id: String) throws -> ItemDefinition {
        if let item = item(id) { return item }
        throw InputError("unknown item '\(id)'; \(Suggest.didYouMean(id, in: definitions.ids))")
    }

    public func member(_ id: String) -> Operator? { team.first { $0.id == id } }

    /// Team members whose roster lists a published demo key: their signatures prove nothing.
    public var demoKeyHolders: [String] { team.filter { $0.keys.contains(where: \.isPublishedDemoKey) }.map(\.id) }

    /// One sentence for every surface that shows who decided, when the roster holds demo keys.
    public var demoWarning: String? {
        let holders = demoKeyHolders
        guard !holders.isEmpty else { return nil }
        return "DEMO KEYS: \(holders.joined(separator: ", ")) sign with the published demo keys (sample-data/demo-keys); anyone can sign as them, so their signatures prove nothing"
    }

    public func items(in contour: Contour) -> [ItemDefinition] { catalog.filter { $0.contour == contour } }

    public init(name: String, version: String, policy: Policy, catalog: [ItemDefinition] = DefaultCatalog.items) {
        self.name = name
        self.version = version
        self.policy = policy
        self.catalog = catalog
    }
}
