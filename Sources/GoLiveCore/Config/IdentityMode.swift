/// How GoLive knows who decided: `signed`, each decision carries an SSH signature by a key of the
/// acting operator's roster entry; `names`, the operator is whoever `--as` says (a one-person
/// trial), and every screen and report says so.
public enum IdentityMode: String, Sendable, Codable {
    case signed, names
}
