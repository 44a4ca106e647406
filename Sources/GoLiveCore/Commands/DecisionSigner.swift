import Foundation

/// Finds the key an operator signs with and signs their decisions: a key file named by `--key` /
/// GOLIVE_SIGNING_KEY, else the operator's ssh-agent (SSH_AUTH_SOCK), else, in a demo store
/// only, the sample's marked demo keys. A key counts only if it is in the operator's roster entry.
public struct DecisionSigner: Sendable {
    public var keyFile: String?
    public var agent: SSHAgent?
    /// ~/.ssh/id_ed25519, used (unencrypted) when neither --key nor the agent offers a key, as ssh does.
    public var defaultKey: String?

    /// Demo keys carry this in their comment; they are used only from a store's `demo-keys/`.
    public static let demoMarker = SSHPublicKey.demoMarker

    public init(keyFile: String? = nil, agent: SSHAgent? = nil, defaultKey: String? = nil) {
        self.keyFile = keyFile
        self.agent = agent
        self.defaultKey = defaultKey
    }

    public static func defaultKeyFile(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.ssh/id_ed25519"
    }

    public static func fromEnvironment(keyFile: String? = nil, _ environment: [String: String] = ProcessInfo.processInfo.environment) -> DecisionSigner {
        DecisionSigner(keyFile: keyFile ?? environment["GOLIVE_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 },
                       agent: SSHAgent.fromEnvironment(environment), defaultKey: defaultKeyFile(environment))
    }

    /// A key of one operator, ready to sign.
    public struct Key: Sendable {
        public let publicKey: SSHPublicKey
        let signer: @Sendable ([UInt8]) throws -> SSHSignature

        public func sign(_ message: [UInt8]) throws -> SSHSignature { try signer(message) }
    }

    /// The key file this signer would use for `operatorID` that is there but encrypted (and no
    /// agent offers the operator's key): a session can unlock it in an agent of its own.
    public func encryptedKeyFile(for operatorID: String, config: RolloutConfig, store: URL) -> String? {
        guard config.identity == .signed, case .failure = key(for: operatorID, config: config, store: store) else { return nil }
        for file in [keyFile, defaultKey].compactMap({ $0 }) where FileManager.default.fileExists(atPath: file) {
            if case let error as InputError = Result(catching: { try SSHPrivateKey(file: file) }).failureValue, "\(error)".contains("is encrypted") {
                // Only a key of this operator's roster entry is worth a passphrase.
                let mine = Set(config.member(operatorID)?.keys ?? [])
                if let pub = SystemCall.readRegularFile(file + ".pub", limit: 16 * 1024).map({ String(decoding: $0.bytes, as: UTF8.self) }),
                   let key = try? SSHPublicKey(line: pub.trimmingCharacters(in: .whitespacesAndNewlines)),
                   !mine.contains(key) { continue }
                return file
            }
        }
        return nil
    }

    /// Marks the decisions among `drafts` to be signed with `key` as the journal writes them.
    /// Returns why the write must be refused when a decision that needs a signature has no key.
    public static func sign(_ drafts: inout [EventDraft], config: RolloutConfig, key: Result<Key, Refusal>?) -> String? {
        guard config.identity == .signed else { return nil }
        for i in drafts.indices where SignaturePolicy.isDecision(drafts[i].kind, drafts[i].data, config: config) {
            switch key {
            case let .success(key)?:
                drafts[i].data.rollout = config.name
                drafts[i].sign = { prefix in try key.sign(Journal.signedPayload(recordPrefix: prefix)).base64 }
            case let .failure(why)?:
                if SignaturePolicy.requiresSignature(drafts[i].kind, drafts[i].data, config: config) { return why.reason }
            case nil:
                if SignaturePolicy.requiresSignature(drafts[i].kind, drafts[i].data, config: config) { return "this decision needs a signature and no key was looked for" }
            }
        }
        return nil
    }

    /// The key `operatorID` signs with, or why there is none, in words that say what to do.
    public func key(for operatorID: String, config: RolloutConfig, store: URL) -> Result<Key, Refusal> {
        guard let member = config.member(operatorID) else { return .failure(Refusal("operator '\(operatorID)' is not in the team of rollout.yaml")) }
        let mine = Set(member.keys)
        guard !mine.isEmpty else {
            return .failure(Refusal("\(operatorID) has no keys in rollout.yaml; in a signed rollout (identity: signed) a decision needs the operator's SSH key: add it under keys: and adopt the configuration"))
        }
        let listed = member.keys.map(\.fingerprint).joined(separator: ", ")
        if let keyFile {
            do {
                let key = try SSHPrivateKey(file: keyFile)
                guard mine.contains(key.publicKey) else {
                    return .failure(Refusal("the key in \(keyFile) (\(key.publicKey.fingerprint)) is not one of \(operatorID)'s keys in rollout.yaml (\(listed))"))
                }
                return .success(Key(publicKey: key.publicKey) { try key.sign($0, namespace: Journal.signatureNamespace) })
            } catch {
                return .failure(Refusal("cannot sign as \(operatorID) with \(keyFile): \(error)"))
            }
        }
        var agentAnswer: Refusal?
        if let agent, let held = try? agent.identities() {
            // One person, one operator: an agent that holds another operator's key could sign as both.
            let others = config.team.filter { $0.id != operatorID && !Set($0.keys).isDisjoint(with: held) }.map(\.id)
            if !others.isEmpty {
                let theirs = others.joined(separator: ", ")
                if mine.isDisjoint(with: held) {
                    return .failure(Refusal("this ssh-agent (\(agent.socket)) holds keys of \(theirs) and none of \(operatorID)'s: it is not \(operatorID)'s agent; sign as \(operatorID) with their own agent or --key FILE"))
                }
                return .failure(Refusal("this ssh-agent (\(agent.socket)) holds keys of \(theirs) as well as \(operatorID)'s: one person signs as one operator; use an agent with only your own keys"))
            }
            if let key = held.first(where: mine.contains) {
                return .success(Key(publicKey: key) { try agent.sign($0, namespace: Journal.signatureNamespace, with: key) })
            }
            agentAnswer = Refusal("no key for \(operatorID) in this ssh-agent (\(agent.socket)); \(operatorID)'s keys in rollout.yaml: \(listed); add one with ssh-add, or pass --key FILE")
        }
        if let defaultKey, let key = try? SSHPrivateKey(file: defaultKey), mine.contains(key.publicKey) {
            return .success(Key(publicKey: key.publicKey) { try key.sign($0, namespace: Journal.signatureNamespace) })
        }
        let demo = store.appendingPathComponent("demo-keys").appendingPathComponent(operatorID).path
        if let key = try? SSHPrivateKey(file: demo), key.publicKey.comment.contains(Self.demoMarker), mine.contains(key.publicKey) {
            return .success(Key(publicKey: key.publicKey) { try key.sign($0, namespace: Journal.signatureNamespace) })
        }
        if let agentAnswer { return .failure(agentAnswer) }
        return .failure(Refusal("no key for \(operatorID): no ssh-agent (SSH_AUTH_SOCK is not set), no --key or GOLIVE_SIGNING_KEY, and no usable ~/.ssh/id_ed25519 of theirs; \(operatorID)'s keys in rollout.yaml: \(listed)"))
    }
}

extension Result {
    var failureValue: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}
