import Foundation
import GoLiveCore
import GoLivePostgres

/// Opening a rollout kept in PostgreSQL: this machine's copy, caught up with it.
enum SharedStore {
    static func open(_ text: String, live: Bool) throws -> Store {
        let address = try PostgresAddress(text)
        let journal = try PostgresJournal.open(address)
        let folder = address.copyFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = Store(directory: folder, shared: journal)
        try store.catchUpWithShared()
        guard store.exists else {
            throw StoreError.corrupt("\(address.shown): the rollout's journal adopts no configuration this golive can write out; nothing was changed")
        }
        if live { journal.startListening() }
        return store
    }
}
