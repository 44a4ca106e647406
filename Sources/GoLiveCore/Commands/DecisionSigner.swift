import Foundation

/// Finds the key an operator signs with and signs their decisions: a key file named by `--key` /
/// GOLIVE_SIGNING_KEY, else the operator's ssh-agent (SSH_AUTH_SOCK), else their own key files in
/// ~/.ssh, else, in a demo store only, the sample's marked demo keys. A key counts only if it is
/// in the operator's roster entry. Any key type GoLive verifies will do: an unencrypted Ed25519
/// file signs in process, any other file through `ssh-keygen -Y sign` (OpenSSH asks for the
/// passphrase or the touch), an agent's key through the agent.
public struct DecisionSigner: Sendable {
    public var keyFile: String?
    public var agent: SSHAgent?
    /// ~/.ssh/id_ed25519; its folder's other default key files are tried after it, as ssh does.
    public var defaultKey: String?
    /// Told what is about to ask the person for something (a passphrase, a touch, a confirmation).
    public var notice: (@Sendable (String) -> Void)?

    /// Demo keys carry this in their comment; they are used only from a store's `demo-keys/`.
    public static let demoMarker = SSHPublicKey.demoMarker
    /// ssh's default identity files, in its order.
    static let defaultKeyNames = ["id_ed25519", "id_ed25519_sk", "id_ecdsa_sk", "id_ecdsa", "id_rsa"]

    public init(keyFile: String? = nil, agent: SSHAgent? = nil, defaultKey: String? = nil, notice: (@Sendable (String) -> Void)? = nil) {
        self.keyFile = keyFile
        self.agent = agent
        self.defaultKey = defaultKey
        self.notice = notice
        if let notice { self.agent?.onWait = notice }
    }

    public static func defaultKeyFile(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.ssh/id_ed25519"
    }

    public static func fromEnvironment(keyFile: String? = nil, _ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       notice: (@Sendable (String) -> Void)? = nil) -> DecisionSigner {
        DecisionSigner(keyFile: keyFile ?? environment["GOLIVE_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 },
                       agent: SSHAgent.fromEnvironment(environment), defaultKey: defaultKeyFile(environment), notice: notice)
    }

    /// The key files tried when no --key is given: `defaultKey`, then its folder's other defaults.
    public var defaultKeys: [String] {
        guard let defaultKey else { return [] }
        let folder = (defaultKey as NSString).deletingLastPathComponent
        return [defaultKey] + Self.defaultKeyNames.map { folder + "/" + $0 }.filter { $0 != defaultKey }
    }

    /// A key of one operator, ready to sign.
    public struct Key: Sendable {
        public let publicKey: SSHPublicKey
        let signer: @Sendable ([UInt8]) throws -> SSHSignature
        /// Whether it signs in this process with no one asked (a key file without a passphrase):
        /// only such a key signs what golive signs on its own, like a machine's checkpoint.
        public var unattended = false

        init(publicKey: SSHPublicKey, unattended: Bool = false, signer: @escaping @Sendable ([UInt8]) throws -> SSHSignature) {
            self.publicKey = publicKey
            self.unattended = unattended
            self.signer = signer
        }

        /// Throws `SigningFailure` when the key did not sign (an agent's deadline passed, a
        /// passphrase was wrong, a touch or confirmation did not come).
        public func sign(_ message: [UInt8]) throws -> SSHSignature {
            do { return try signer(message) } catch let failure as SigningFailure { throw failure } catch {
                throw SigningFailure(reason: ErrorReport.describe(error))
            }
        }
    }

    /// A key that did not sign: the decision is refused, not an error of the command.
    public struct SigningFailure: Error, CustomStringConvertible, Sendable {
        public let reason: String
        public var description: String { reason }
    }

    /// The key file of `operatorID`'s that GoLive cannot sign with itself (encrypted, or a
    /// hardware key's handle) when no agent offers one of their keys: a cockpit session unlocks it
    /// once in an agent of its own instead of asking at every decision.
    public func encryptedKeyFile(for operatorID: String, config: RolloutConfig, store: URL) -> String? {
        guard config.identity == .signed, let member = config.member(operatorID) else { return nil }
        let mine = Set(member.keys)
        if let agent, let held = try? agent.identities(), !mine.isDisjoint(with: held) { return nil }
        for path in keyFile.map({ [$0] }) ?? defaultKeys where FileManager.default.fileExists(atPath: path) {
            guard let file = try? SSHKeyFile(path: path), mine.contains(file.publicKey) else { continue }
            return file.inProcess == nil ? path : nil
        }
        return nil
    }

    /// Marks the decisions among `drafts` to be signed with `key` as the journal writes them.
    /// Returns why the write must be refused when a decision that needs a signature has no key.
    public static func sign(_ drafts: inout [EventDraft], config: RolloutConfig, key: Result<Key, Refusal>?) -> Refusal? {
        guard config.identity == .signed else { return nil }
        for i in drafts.indices where SignaturePolicy.isDecision(drafts[i].kind, drafts[i].data, config: config) {
            switch key {
            case let .success(key)?:
                drafts[i].data.rollout = config.name
                drafts[i].sign = { prefix in try key.sign(Journal.signedPayload(recordPrefix: prefix)).base64 }
            case let .failure(why)?:
                if SignaturePolicy.requiresSignature(drafts[i].kind, drafts[i].data, config: config) { return why }
            case nil:
                if SignaturePolicy.requiresSignature(drafts[i].kind, drafts[i].data, config: config) { return Refusal("this decision needs a signature and no key was looked for") }
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
                let file = try SSHKeyFile(path: keyFile)
                guard mine.contains(file.publicKey) else {
                    return .failure(Refusal("the key in \(keyFile) (\(file.publicKey.fingerprint)) is not one of \(operatorID)'s keys in rollout.yaml (\(listed))"))
                }
                return .success(key(file))
            } catch {
                return .failure(Refusal("cannot sign as \(operatorID) with \(keyFile): \(error)"))
            }
        }
        var agentAnswer: Refusal?
        var held: [SSHPublicKey]?
        if let agent {
            // An agent that is gone or stalled is said, not taken for no agent at all.
            do { held = try agent.identities() } catch {
                agentAnswer = Refusal("no key for \(operatorID): \(ErrorReport.describe(error))")
            }
        }
        if let agent, let held {
            // One person, one operator: an agent that holds another operator's key could sign as both.
            let others = config.team.filter { $0.id != operatorID && !Set($0.keys).isDisjoint(with: held) }.map(\.id)
            if !others.isEmpty {
                let theirs = others.joined(separator: ", ")
                if mine.isDisjoint(with: held) {
                    return .failure(Refusal("this ssh-agent (\(agent.socket)) holds keys of \(theirs) and none of \(operatorID)'s: it is not \(operatorID)'s agent", remedies: [.useYourOwnAgent(operatorID: operatorID)]))
                }
                return .failure(Refusal("this ssh-agent (\(agent.socket)) holds keys of \(theirs) as well as \(operatorID)'s: one person signs as one operator", remedies: [.useYourOwnAgent(operatorID: operatorID)]))
            }
            if let key = held.first(where: mine.contains) {
                return .success(Key(publicKey: key) { try agent.sign($0, namespace: Journal.signatureNamespace, with: key) })
            }
            agentAnswer = Refusal("no key for \(operatorID) in this ssh-agent (\(agent.socket)); \(operatorID)'s keys in rollout.yaml: \(listed)", remedies: [.addYourKeyToTheAgent])
        }
        for path in defaultKeys where FileManager.default.fileExists(atPath: path) {
            if let file = try? SSHKeyFile(path: path), mine.contains(file.publicKey) { return .success(key(file)) }
        }
        let demo = store.appendingPathComponent("demo-keys").appendingPathComponent(operatorID).path
        if let key = try? SSHPrivateKey(file: demo), key.publicKey.comment.contains(Self.demoMarker), mine.contains(key.publicKey) {
            return .success(Key(publicKey: key.publicKey, unattended: true) { try key.sign($0, namespace: Journal.signatureNamespace) })
        }
        if let agentAnswer { return .failure(agentAnswer) }
        return .failure(Refusal("no key for \(operatorID): no ssh-agent (SSH_AUTH_SOCK is not set), no key file named, and none of their keys in ~/.ssh (\(Self.defaultKeyNames.joined(separator: ", "))); \(operatorID)'s keys in rollout.yaml: \(listed)", remedies: [.nameAKey]))
    }

    /// Signs with a key file: in process when GoLive can, else through ssh-keygen.
    func key(_ file: SSHKeyFile) -> Key {
        if let inProcess = file.inProcess {
            return Key(publicKey: file.publicKey, unattended: true) { try inProcess.sign($0, namespace: Journal.signatureNamespace) }
        }
        let notice = notice
        return Key(publicKey: file.publicKey) { message in
            if let asks = file.encrypted ? "its passphrase" : file.publicKey.type.isHardware ? "a touch of the key" : nil {
                notice?("signing with \(file.path) (\(file.publicKey.type.rawValue)) through ssh-keygen; OpenSSH may ask for \(asks)")
            }
            return try file.signWithSSHKeygen(message, namespace: Journal.signatureNamespace)
        }
    }
}
