import Foundation

/// The configuration the judge holds records to while folding: the one the state names as
/// adopted, parsed from the adopted record's own texts (never the files on disk). Found once per
/// fold and again only when a record adopts another; parses are shared within the process by
/// digest (`RolloutConfigParser.inForce`).
struct ConfigInForce {
    let store: Store
    private var digest: String?
    private var found: Result<Held?, Failure> = .success(nil)
    private var pendingFiles: (files: [ConfigFile], parsed: String?)?

    struct Failure: Error { var message: String }

    init(store: Store) { self.store = store }

    /// The configuration in force, held by reference: the fold asks for it at every record, and
    /// a copy retained and released every string and array of it each time.
    final class Held: Sendable {
        let config: RolloutConfig
        init(_ config: RolloutConfig) { self.config = config }
    }

    /// The configuration in force for `state`; nil before any adoption.
    mutating func config(for state: RolloutState) -> Result<RolloutConfig?, Failure> {
        held(for: state).map { $0?.config }
    }

    /// The same, held.
    mutating func held(for state: RolloutState) -> Result<Held?, Failure> {
        guard let adopted = state.adoptedConfig else { return .success(nil) }
        if adopted.sha256 == digest { return found }
        digest = adopted.sha256
        found = resolve(adopted, state: state).map { $0.map(Held.init) }
        pendingFiles = nil
        return found
    }

    /// A record just adopted these files (and vouched for this parse of them): it stood, and the
    /// next record is judged by them.
    mutating func adopted(_ files: [ConfigFile], parsed: String?) { pendingFiles = (files, parsed) }

    private func resolve(_ adopted: AdoptedConfig, state: RolloutState) -> Result<RolloutConfig?, Failure> {
        do {
            if let memo = RolloutConfigParser.inForceMemo(adopted.sha256) { return .success(memo) }
            let record: (files: [ConfigFile], parsed: String?)
            if let pendingFiles, ConfigFile.digest(pendingFiles.files) == adopted.sha256 {
                record = pendingFiles
            } else {
                guard let found = try store.adoptedRecord(state) else { return .success(nil) }
                record = found
            }
            // The state's adoption stands: folded by the judge, or walked before a snapshot is believed.
            return .success(try RolloutConfigParser.inForce(files: record.files, vouched: record.parsed))
        } catch {
            return .failure(Failure(message: "the configuration in force (adopted at seq \(adopted.seq)) cannot be read to judge it: \(error)"))
        }
    }
}
