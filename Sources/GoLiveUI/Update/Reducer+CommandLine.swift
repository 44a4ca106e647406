import Foundation
import GoLiveCore

extension Reducer {
    /// The `:` command line speaks the CLI's verbs. `.` stands for the selected item.
    static func runCommandLine(_ s: inout UIState, _ text: String, themes: [String]) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let word = words.first else { return [] }
        guard let verb = CommandLineVerb(word: word) else {
            s.message = Message(text: "unknown command '\(word)'; \(Suggest.didYouMean(word, in: CommandLineVerb.allCases.map(\.rawValue)))", kind: .error)
            return []
        }
        func item(_ i: Int) -> String? {
            guard words.count > i else { return s.selectedRow?.id }
            return words[i] == "." ? s.selectedRow?.id : words[i]
        }
        let rest = { (i: Int) in words.count > i ? words[i...].joined(separator: " ") : "" }
        switch verb {
        case .quit: return perform(.quit, &s, themes: themes)
        case .help: s.showHelp = true
        case .gate:
            s.mode = .gate
            return [.recordVerdict]
        case .onCall: s.mode = .blockers
        case .timeline: s.mode = .timeline
        case .export:
            guard words.count == 3, let format = ExportFormat(rawValue: words[1]) else {
                s.message = Message(text: "usage: export jsonl|md|csv FILE", kind: .error)
                return []
            }
            return [.export(format, path: words[2])]
        case .canary:
            s.mode = .canary
            let sub: [String: Action] = ["shadow": .canaryShadow, "approve": .canaryApprove, "advance": .canaryAdvance, "hold": .canaryHold,
                                         "resume": .canaryResume, "rollback": .canaryRollback, "reconcile": .canaryReconcile, "complete": .canaryComplete]
            guard words.count > 1 else { return [] }
            guard let action = sub[words[1]] else {
                s.message = Message(text: "unknown canary action '\(words[1])'; \(Suggest.didYouMean(words[1], in: Array(sub.keys)))", kind: .error)
                return []
            }
            // A reason typed on the line skips the hold form; everything else opens the same dialog as its key.
            if action == .canaryHold && words.count > 2 { return [.perform(.canary(.hold(reason: rest(2))), success: "canary held: \(rest(2))")] }
            return perform(action, &s, themes: themes)
        case .whatIf: whatIf(&s, Array(words.dropFirst()))
        case .checklist: s.mode = .checklist
        case .filter: s.filter = rest(1)
        case .theme:
            if words.count > 1 {
                guard themes.contains(words[1]) else {
                    s.message = Message(text: "unknown theme '\(words[1])'; \(Suggest.didYouMean(words[1], in: themes))", kind: .error)
                    return []
                }
                s.themeName = words[1]
            } else { return perform(.cycleTheme, &s, themes: themes) }
        case .pass, .fail, .na, .evidence:
            guard let id = item(1) else { return noItem(&s) }
            let kind: NoteKind = verb == .pass ? .pass : verb == .fail ? .fail : verb == .na ? .notApplicable : .evidence
            return [submitNote(kind, id, rest(2))]
        case .waive:
            guard words.count >= 3, let id = item(1) else {
                s.message = Message(text: "usage: waive ID EXPIRES REASON (EXPIRES like 7d or 2026-12-31)", kind: .error)
                return []
            }
            do {
                let when = try Timestamp.parseUserTime(words[2], now: s.now)
                return [.perform(.waive(id: id, reason: rest(3), expires: when), success: "~ \(id) waived until \(Timestamp.short(when))")]
            } catch {
                s.message = Message(text: "\(error)", kind: .error)
            }
        case .signoff:
            guard words.count >= 3 else {
                s.message = Message(text: "usage: signoff CONTOUR ROLE [NOTE]", kind: .error)
                return []
            }
            do {
                let contour = try Contour.named(words[1])
                return [.perform(.signOff(contour: contour, role: words[2], note: rest(3)), success: "signed off \(contour.title) as \(words[2])")]
            } catch {
                s.message = Message(text: "\(error)", kind: .error)
            }
        }
        return []
    }
}
