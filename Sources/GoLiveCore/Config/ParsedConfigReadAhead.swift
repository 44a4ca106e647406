import Foundation

extension ParsedConfigCache {
    /// One kept parse being read on a thread of its own (see `ParsedConfigCache.readAhead`), taken
    /// by the first `load` of the same rollout.yaml digest from the same folder.
    final class ReadAhead: @unchecked Sendable {
        let dir: URL
        let rollout: String
        /// Written once by the reading thread; read only after that thread is joined (`result`).
        private var read: (entry: Entry, bodyDigest: String)?
        /// The reparse `load` was given, which the entry's catalog calls should a kept definition
        /// not decode: unknown when the reading starts.
        private let reparse = Locked<(@Sendable () -> [ItemDefinition]?)?>(nil)
        private var work: BackgroundWork?

        static let started = Locked<ReadAhead?>(nil)

        init(dir: URL, rollout: String) {
            self.dir = dir
            self.rollout = rollout
            let reparse = self.reparse
            work = BackgroundWork { [self] in
                read = ParsedConfigCache.read(dir: dir, rollout: rollout, reparse: { reparse.withLock { $0 }?() })
            }
        }

        /// The read ahead of this folder and digest, if one was started and not yet taken.
        static func taken(dir: URL, rollout: String) -> ReadAhead? {
            started.withLock { ahead in
                guard let found = ahead, found.dir == dir, found.rollout == rollout else { return nil }
                ahead = nil
                return found
            }
        }

        /// Asked once: by the `load` that took it, or by the read ahead that replaced it untaken.
        func result() -> (entry: Entry, bodyDigest: String)? {
            work?.wait()
            return read
        }

        func reparseWith(_ given: @escaping @Sendable () -> [ItemDefinition]?) { reparse.withLock { $0 = given } }
    }
}
