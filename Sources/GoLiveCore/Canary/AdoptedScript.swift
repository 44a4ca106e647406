import Foundation

/// A script the configuration names (a transition hook, an alert route), run as it was adopted:
/// its adopted text is written to a private folder and that copy runs, so a script replaced on
/// disk (a no-op that lets rollback "succeed") or a path pointed elsewhere never runs. A script
/// adopted by hash only (binary, or over 256 KiB) runs from the store if its bytes still match.
struct AdoptedScript {
    struct Failure: Error { var message: String }

    /// What to run: the private copy, the store's file, or a command on PATH.
    let path: String
    private let folder: URL?

    func remove() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    static func prepare(_ command: String, config: RolloutConfig, store: Store) -> Result<AdoptedScript, Failure> {
        // A command on PATH (`true`, `/usr/bin/logger`) is not a file of the configuration.
        guard command.contains("/"), !command.hasPrefix("/"), !config.files.isEmpty else { return .success(AdoptedScript(path: command, folder: nil)) }
        guard let file = config.files.first(where: { $0.path == command }) else {
            return .failure(Failure(message: "\(command) is not a script of the configuration in force"))
        }
        guard file.sha256 != ConfigFile.absent else {
            return .failure(Failure(message: "\(command) did not exist when the configuration in force was adopted"))
        }
        guard let text = file.text else {
            let url = store.directory.appendingPathComponent(command)
            guard let fd = try? SystemCall.openIfPresent(url.path, O_RDONLY | O_NOFOLLOW), let size = try? SystemCall.sizeOf(fd, path: url.path),
                  let bytes = try? SystemCall.readExactly(fd, count: size, at: 0, path: url.path) else {
                return .failure(Failure(message: "\(command) cannot be read"))
            }
            SystemCall.closeFile(fd)
            guard Digest.sha256Hex(bytes) == file.sha256 else {
                return .failure(Failure(message: "\(command) on disk is not the one adopted (sha256 \(file.sha256.prefix(12))); adopt it or put it back"))
            }
            return .success(AdoptedScript(path: url.path, folder: nil))
        }
        guard Digest.sha256Hex(Data(text.utf8)) == file.sha256 else {
            return .failure(Failure(message: "the adopted text of \(command) does not match its hash"))
        }
        do {
            let folder = try privateFolder()
            let copy = folder.appendingPathComponent(URL(fileURLWithPath: command).lastPathComponent)
            try DurableFile.write(Data(text.utf8), to: copy, mode: 0o700)
            return .success(AdoptedScript(path: copy.path, folder: folder))
        } catch {
            return .failure(Failure(message: "cannot write the adopted copy of \(command): \(error)"))
        }
    }

    /// A folder only this user can enter, made anew (mkdtemp), outside the store's folder.
    static func privateFolder() throws -> URL {
        var template = Array((FileManager.default.temporaryDirectory.path + "/golive-hook.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SystemCallError(action: "cannot make a private folder for the hook", code: errno)
        }
        return URL(fileURLWithPath: String(cString: made))
    }
}
