import Foundation
import Yams

/// `hooks:`: the transition hook (the actuator) and the alert routes.
///
///     hooks:
///       transition: scripts/set-weight.sh
///       alert: scripts/alert.sh                  # every kind, or routed:
///       alert:
///         - {command: scripts/page.sh, kinds: [auto_hold, block, unknown_outcome], timeout_seconds: 5}
///         - {command: scripts/safety-channel.sh, contours: [safety]}
extension RolloutConfigParser {
    static func parseHooks(_ doc: YAMLDocument, _ node: Node, into config: inout RolloutConfig) throws {
        for (key, _, value) in try doc.mapping(node, allowed: ["transition", "alert"], what: "'hooks'") {
            switch key {
            case "transition": config.transitionHook = try doc.string(value, what: "'transition'")
            default:
                if case .scalar = value {
                    config.alertRoutes = [AlertRoute(command: try doc.string(value, what: "'alert'"))]
                } else {
                    config.alertRoutes = try doc.sequence(value, what: "'alert' (a command, or a list of routes)").map { try parseRoute(doc, $0) }
                }
            }
        }
    }

    static func parseRoute(_ doc: YAMLDocument, _ node: Node) throws -> AlertRoute {
        var route = AlertRoute(command: "")
        for (key, _, value) in try doc.mapping(node, allowed: ["command", "kinds", "contours", "timeout_seconds"], what: "an alert route") {
            switch key {
            case "command": route.command = try doc.string(value, what: "'command'")
            case "kinds":
                route.kinds = try doc.stringList(value, what: "'kinds'").map { name, n in
                    guard let kind = AlertKind(rawValue: name) else {
                        throw doc.error(n, "unknown alert kind '\(name)'; expected one of \(AlertKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return kind
                }
            case "contours":
                route.contours = try doc.stringList(value, what: "'contours'").map { name, n in
                    guard let c = Contour(rawValue: name) else {
                        throw doc.error(n, "unknown contour '\(name)'; \(Suggest.didYouMean(name, in: Contour.allCases.map(\.rawValue)))")
                    }
                    return c
                }
            default:
                let s = try doc.double(value, what: "'timeout_seconds'")
                guard s > 0 && s <= 600 else { throw doc.error(value, "'timeout_seconds' must be above 0 and at most 600") }
                route.timeoutSeconds = s
            }
        }
        guard !route.command.isEmpty else { throw doc.error(node, "an alert route needs a 'command'") }
        return route
    }
}
