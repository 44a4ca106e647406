/// The verbs of the cockpit's `:` command line, the CLI's words: one list that the command line
/// reads, suggests from and its help line names (it was typed out three times).
enum CommandLineVerb: String, CaseIterable {
    case pass, fail, na, evidence, waive, signoff, gate, onCall = "on-call", timeline, canary, whatIf = "what-if", export, checklist, filter, theme, help, quit

    /// Other words for a verb.
    static let aliases: [String: CommandLineVerb] = ["q": .quit, "log": .timeline, "whatif": .whatIf, "blockers": .onCall, "oncall": .onCall]

    init?(word: String) {
        guard let verb = CommandLineVerb(rawValue: word) ?? Self.aliases[word] else { return nil }
        self = verb
    }

    /// What the `:` key's help says the line takes.
    static var helpLine: String {
        "command line: " + allCases.map { $0 == .canary ? "canary [ACTION]" : $0.rawValue }.joined(separator: ", ")
    }
}
