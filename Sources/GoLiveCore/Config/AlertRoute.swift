import Foundation

/// One `hooks.alert` entry: a command and the alerts it receives. A route without kinds gets
/// every kind; a route with contours gets only alerts about those contours.
public struct AlertRoute: Codable, Sendable, Equatable {
    public var command: String
    public var kinds: [AlertKind]?
    public var contours: [Contour]?
    public var timeoutSeconds: Double = 10

    public init(command: String, kinds: [AlertKind]? = nil, contours: [Contour]? = nil, timeoutSeconds: Double = 10) {
        self.command = command
        self.kinds = kinds
        self.contours = contours
        self.timeoutSeconds = timeoutSeconds
    }

    /// Whether an alert of `kind` about `about` (the contours behind it) goes to this route.
    public func receives(_ kind: AlertKind, about: [Contour]) -> Bool {
        if let kinds, !kinds.contains(kind) { return false }
        if let contours, Set(contours).isDisjoint(with: about) { return false }
        return true
    }
}
