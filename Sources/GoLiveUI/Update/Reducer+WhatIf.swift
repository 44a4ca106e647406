import Foundation
import GoLiveCore

extension Reducer {
    static let whatIfUsage = "usage: whatif at TIME | waive ID [until TIME] | unwaive ID | set ID=passed|failed|open|na (. is the selected item)"

    /// Asks the core's `WhatIf` on the state the screen shows; nothing is written. The answer
    /// replaces the gate view until esc.
    static func whatIf(_ s: inout UIState, _ words: [String]) {
        let r = s.dashboard.readiness
        let now = s.now
        func id(_ i: Int) -> String? {
            guard words.count > i else { return nil }
            return words[i] == "." ? s.selectedRow?.id : words[i]
        }
        var question = WhatIf()
        do {
            switch words.first {
            case "at" where words.count > 1:
                question.at = try SpokenTime.parse(words.dropFirst().joined(separator: " "), now: now)
            case "waive":
                guard let item = id(1) else { throw InputError(whatIfUsage) }
                var until = WhatIf.defaultWaiverEnd(r.config.policy, now: now)
                if words.count > 3, words[2] == "until" { until = try SpokenTime.parse(words.dropFirst(3).joined(separator: " "), now: now) }
                question.waive = [(item, until)]
            case "unwaive":
                guard let item = id(1) else { throw InputError(whatIfUsage) }
                question.unwaive = [item]
            case "set":
                guard words.count > 1 else { throw InputError(whatIfUsage) }
                let (item, status) = try WhatIf.result(words[1])
                question.results = [(item == "." ? s.selectedRow?.id ?? item : item, status)]
            default:
                throw InputError(whatIfUsage)
            }
            try question.validate(r.config, now: now)
        } catch {
            s.message = Message(text: CockpitWording.describe(error), kind: .error)
            return
        }
        let answer = question.answer(Readiness(config: r.config, state: r.state, now: now), actor: s.dashboard.operatorID)
        s.whatIf = answer.tonedLines + [TonedLine(""), TonedLine("nothing was written · esc returns to the gate")]
        s.mode = .gate
        s.scroll = 0
    }
}
