import Foundation

/// Runs one route's command for one alert: the JSON payload on stdin (kept under the store's
/// `alerts/`), its own process group, a timeout, output kept like a transition hook's.
public enum AlertHook {
    public static func run(_ alert: RaisedAlert, raisedSeq: Int, route: AlertRoute, store: Store, config: RolloutConfig) -> HookResult {
        let payload: URL
        do {
            let dir = store.directory.appendingPathComponent("alerts")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            payload = dir.appendingPathComponent("alert-\(raisedSeq).json")
            try store.writeAtomically(try JSONCoding.encoder(pretty: false).encode(alert) + Data("\n".utf8), to: payload)
        } catch {
            return HookResult(outcome: .failed, summary: "alert not sent: cannot write its payload: \(error)", seconds: 0)
        }
        let words = route.command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let spec = ProbeSpec(command: words.first ?? route.command, arguments: Array(words.dropFirst()), timeoutSeconds: route.timeoutSeconds)
        let env = [
            "GOLIVE_ALERT_KIND": alert.kind.rawValue,
            "GOLIVE_ALERT_FILE": payload.path,
            "GOLIVE_ROLLOUT": config.name,
            "GOLIVE_STORE": store.directory.path,
        ]
        let o = ProbeRunner.run(spec, in: store.directory, environment: env, stdinFile: payload.path)
        return TransitionHook.result(from: o, timeoutSeconds: route.timeoutSeconds)
    }
}
