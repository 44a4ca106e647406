import Foundation

/// Runs one route's command for one alert: the JSON payload on stdin (kept under the store's
/// `alerts/`), its own process group, a timeout, output kept like a transition hook's.
public enum AlertHook {
    /// The alert's JSON payload, written once under the store's `alerts/` for every route to read.
    public static func writePayload(_ alert: RaisedAlert, raisedSeq: Int, store: Store) throws -> URL {
        let dir = store.directory.appendingPathComponent("alerts")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let payload = dir.appendingPathComponent("alert-\(raisedSeq).json")
        try store.writeAtomically(try JSONCoding.encoder(pretty: false).encode(alert) + Data("\n".utf8), to: payload)
        return payload
    }

    public static func run(_ alert: RaisedAlert, payload: URL, route: AlertRoute, store: Store, config: RolloutConfig) -> HookResult {
        let env = [
            "GOLIVE_ALERT_KIND": alert.kind.rawValue,
            "GOLIVE_ALERT_FILE": payload.path,
            "GOLIVE_ROLLOUT": config.name,
            "GOLIVE_STORE": store.directory.path,
        ]
        return TransitionHook.runCommand(route.command, store: store, config: config, environment: env, timeoutSeconds: route.timeoutSeconds, stdinFile: payload.path)
    }
}
