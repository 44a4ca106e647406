import ArgumentParser
import Foundation
import GoLiveCore

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "what-if",
        abstract: "Ask what the gate and the canary's next step would say under a changed policy, waiver, result or time. Writes nothing.",
        discussion: """
        Examples:
          golive what-if --policy stricter.yaml      requirements that would newly fail
          golive what-if --waive eval_slo.offline_evals --at "next friday 18:00"
                                                     which waivers have expired by then
          golive what-if --set operations.oncall_owner=passed
                                                     would the gate be READY?
          golive what-if --policy stricter.yaml --history
                                                     when it first would be READY

        Exit 0 when the gate under the question would be READY, 1 when it would not (as `golive gate`).

        Times are in your zone (TZ): "next friday 18:00", "tomorrow 09:00", "2026-12-04 18:00", 2026-12-31, 2026-12-31T18:00:00Z, or a span like 3d. Nothing is journaled unless --record is given, which journals the question and its answer (not a change).
        """).parsedOnItsOwn
    @Option(name: .long, help: ArgumentHelp("A policy file to judge by instead of the adopted one.", valueName: "file")) var policy: String?
    @Option(name: .long, help: ArgumentHelp("Waive this item (repeatable).", valueName: "item")) var waive: [String] = []
    @Option(name: .customLong("waive-until"), help: ArgumentHelp("When those waivers would end (default: the policy's waivers.max_days from now).", valueName: "time"))
    var waiveUntil: String?
    @Option(name: .long, help: ArgumentHelp("Remove this item's waiver (repeatable).", valueName: "item")) var unwaive: [String] = []
    @Option(name: .long, help: ArgumentHelp("Give an item a result: ITEM=passed|failed|open|na (repeatable).", valueName: "item=result")) var set: [String] = []
    @Option(name: .long, help: ArgumentHelp("Judge at this later time.", valueName: "time")) var at: String?
    @Flag(name: .long, help: "With --policy: replay the journal and say at which seq the gate would first have been READY.") var history = false
    @Flag(name: .long, help: "Journal the question and its answer.") var record = false
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if history && policy == nil { throw ValidationError("--history replays a changed policy over the journal; give it --policy FILE") }
    }

    struct Report: Encodable {
        var question: String, today_ready: Bool, what_if_ready: Bool, newly_failing: [String], no_longer_failing: [String]
        var expired_waivers: [String], next_step_today: String?, next_step_what_if: String?
        var history: HistoryJSON?, recorded: Bool
    }
    struct HistoryJSON: Encodable { var records: Int, first_ready_seq_recorded: Int?, first_ready_seq_what_if: Int? }

    func run() throws {
        let store = try storeOptions.openStore()
        let config = try store.loadConfig()
        let now = Date()
        var question = WhatIf()
        if let policy {
            let url = URL(fileURLWithPath: policy)
            question.policy = try PolicyParser.parse(file: url, knownItems: Set(config.catalog.map(\.id)), displayName: policy)
            question.policyName = url.lastPathComponent
        }
        let until = try waiveUntil.map { try SpokenTime.parse($0, now: now) } ?? WhatIf.defaultWaiverEnd(question.policy ?? config.policy, now: now)
        question.waive = waive.map { ($0, until) }
        question.unwaive = unwaive
        question.results = try set.map(WhatIf.result)
        question.at = try at.map { try SpokenTime.parse($0, now: now) }
        try question.validate(config, now: now)
        let today = Readiness(config: config, state: try store.loadStateWhole(for: config).state, now: now)
        let answer = question.answer(today, actor: storeOptions.actor().operatorID)
        var replay: HistoryJSON?
        if history, let alt = question.policy {
            let r = try WhatIf.replay(store, config: config, policy: alt)
            replay = HistoryJSON(records: r.records, first_ready_seq_recorded: r.recorded, first_ready_seq_what_if: r.whatIf)
        }
        if record { try storeOptions.cockpit(store, command: commandLine()).recordWhatIf(answer, as: storeOptions.actor()) }
        // As `golive gate`: 0 when the gate under the question is READY, 1 when it is not.
        if output.json {
            try printJSON(Report(question: answer.question, today_ready: answer.today.ready, what_if_ready: answer.then.ready,
                                        newly_failing: answer.newlyFailing, no_longer_failing: answer.noLongerFailing,
                                        expired_waivers: answer.expiredWaivers, next_step_today: answer.nextStepToday,
                                        next_step_what_if: answer.nextStepThen, history: replay, recorded: record))
            if !answer.then.ready { throw ExitCode(1) }
            return
        }
        answer.lines.forEach { print($0) }
        if let replay {
            func seq(_ s: Int?) -> String { s.map { "seq \($0)" } ?? "never" }
            print("history (\(replay.records) records, today's catalog and team): first READY under the recorded policy: \(seq(replay.first_ready_seq_recorded)); under \(question.policyName ?? "the what-if policy"): \(seq(replay.first_ready_seq_what_if))")
        }
        print(record ? "recorded in the journal (what_if.asked)" : "nothing was written (--record journals the question and its answer)")
        if !answer.then.ready { throw ExitCode(1) }
    }
}
