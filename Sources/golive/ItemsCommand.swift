import ArgumentParser
import Foundation
import GoLiveCore

struct ItemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "items",
        abstract: "List checklist items with their status, severity, owner role and age: the ids `golive item` takes.",
        discussion: """
        Examples:
          golive items --blockers            the open blockers, as `golive status` lists them
          golive items --contour safety --open
          golive items --owner sre --json    for a script: [{id, status, owner, age_seconds, …}]
        """).parsedOnItsOwn
    @Option(name: .long, help: ArgumentHelp("Only this contour: \(Contour.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "contour"))
    var contour: String?
    @Flag(name: .long, help: "Only items not satisfied (open or failed, expired waivers, aged evidence).") var open = false
    @Flag(name: .long, help: "Only blockers not satisfied: what stops the gate.") var blockers = false
    @Option(name: .long, help: ArgumentHelp("Only items this role owns, or the roles of this team member (--owner carol).", valueName: "role|person")) var owner: String?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if open && blockers { throw ValidationError("--open and --blockers are alternatives; --blockers lists open blockers only") }
    }

    func run() throws {
        let store = try storeOptions.openStore()
        let config = try store.loadConfig()
        var query = ItemQuery(scope: blockers ? .blockers : open ? .open : .all, owner: owner)
        if let contour {
            guard let c = Contour(rawValue: contour) else {
                throw InputError("unknown contour '\(contour)'; \(Suggest.didYouMean(contour, in: Contour.allCases.map(\.rawValue)))")
            }
            query.contour = c
        }
        if let owner, !config.catalog.contains(where: { ItemQuery.ownerRoles(owner, in: config).contains($0.owner) }) {
            let roles = Array(Set(config.catalog.map(\.owner))).sorted()
            if let member = config.member(owner) {
                throw InputError("no item is owned by \(owner)'s roles (\(member.roles.joined(separator: ", "))); owner roles: \(roles.joined(separator: ", "))")
            }
            throw InputError("no item is owned by '\(owner)', which is neither a role nor a team member; \(Suggest.didYouMean(owner, in: roles + config.team.map(\.id)))")
        }
        let r = Readiness(config: config, state: try store.loadStateWhole(for: config).state, now: Date())
        let rows = query.list(r)
        if output.json { return try printJSON(rows) }
        if rows.isEmpty { return print("no items match") }
        let width = max(4, rows.map(\.id.count).max() ?? 4)
        let pad = TextReports.pad
        print(pad("id", width) + "  " + pad("status", 14) + pad("standing", 10) + pad("severity", 10) + pad("owner", 18) + "age")
        for row in rows {
            let age = Format.age(since: row.updatedAt, now: r.now)
            print(safe(pad(row.id, width) + "  " + pad(row.status, 14) + pad(row.standing, 10) + pad(row.severity, 10) + pad(row.owner, 18) + age))
        }
    }
}
