import Foundation

/// The core's refusals say what to do next in the CLI's words, since that is where most of them
/// are read and journaled. In the cockpit the same advice is given in keys and fields.
enum CockpitWording {
    static let phrases: [(cli: String, cockpit: String)] = [
        ("golive canary reconcile --applied or --not-applied", "U in the canary panel, after checking the router"),
        ("--reason \"what changed and why\"", "a reason"),
        ("--reason \"…\"", "fill in the reason field"),
        ("pass --note \"why this does not apply\"", "write why in the note"),
        ("(ssh-agent or --key)", "(in ssh-agent, or a key file given when the cockpit was started)"),
        ("add one with ssh-add, or pass --key FILE", "add one with ssh-add in another terminal, then press the key again"),
        ("no --key or GOLIVE_SIGNING_KEY", "no key file given when the cockpit was started"),
        (" (--readonly)", ""),
    ]

    static func inKeys(_ text: String) -> String {
        phrases.reduce(text) { $0.replacingOccurrences(of: $1.cli, with: $1.cockpit) }
    }
}
