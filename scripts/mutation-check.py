#!/usr/bin/env python3
"""Removes each guard the integrity issue names, one at a time, and runs the tests that should
notice. A guard whose removal no test notices is "SURVIVED": the tests do not protect it.

    scripts/mutation-check.py [--workdir DIR] [NAME ...]

It works on a copy of the repository (a git worktree in --workdir, default /tmp/golive-mutants),
so the working tree is never touched; it prints a table and exits 1 if any mutant survived.
"""
import argparse, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name, file, the guard as written, what it becomes without the guard, the tests to run
MUTANTS = [
    # The PostgreSQL store (issue 15). These need a server: GOLIVE_TEST_POSTGRES, else the tests start one.
    ("shared: the rollout's advisory lock", "Sources/GoLivePostgres/PostgresJournal.swift",
     'try WritePhases.measure("lock_wait") { try execute("SELECT pg_advisory_xact_lock(hashtext(\\(key)))", on: c) }', '_ = 0',
     "PostgresStoreTests/concurrentAdvances|PostgresStoreTests/eightProcesses"),
    ("shared: a diverged copy is replaced", "Sources/GoLiveCore/Journal/Store+Shared.swift",
     "if anchor?.seq == last.seq && anchor?.hash == last.hash {", "if true {", "PostgresStoreTests/aCopyThatDiverged"),
    ("shared: no password in address errors", "Sources/GoLivePostgres/PostgresAddress.swift",
     "let shownText = PostgresAddress.masked(text)", "let shownText = text", "PostgresStoreTests/badAddresses"),
    ("shared: audit verify reads the server", "Sources/golive/ReadCommands.swift",
     "if file == nil, PostgresAddress.isAddress(storeText) {", "if false, PostgresAddress.isAddress(storeText) {", "PostgresStoreTests/aRowEdited"),
    ("shared: a lost COMMIT answer is asked again", "Sources/GoLivePostgres/PostgresJournal.swift",
     "case true?: return\n", "case true?: throw error\n", "PostgresStoreTests/aCommitWhoseAnswerIsLost"),
    ("shared: init refuses a postgres address", "Sources/golive/WriteCommands.swift",
     "if PostgresAddress.isAddress(storeOptions.storeText) {", "if false {", "PostgresStoreTests/badAddresses"),
    ("canary: past its lease the outcome is unknown", "Sources/GoLiveCore/Canary/CanaryOverview.swift",
     "pendingUnknown = canary.pendingUnknown || canary.pending != nil", "pendingUnknown = canary.pendingUnknown || false && canary.pending != nil", "LateHookResultTests"),
    ("shared: an adopted configuration reaches every copy", "Sources/GoLiveCore/Journal/Store+Shared.swift",
     "if configChanged || !exists { try writeAdoptedFiles() }", "if !exists { try writeAdoptedFiles() }", "PostgresStoreTests/aConfigurationAdopted"),
    ("shared: a newer schema is refused", "Sources/GoLivePostgres/PostgresSchema.swift",
     "if v > version { throw newer(v, at: at) }\n        if v < version", "if v < 0 {}\n        if v < version", "PostgresStoreTests/badAddresses"),
    ("shared: init refuses someone else's tables", "Sources/GoLivePostgres/PostgresSchema.swift",
     "if !others.isEmpty {", "if false {", "PostgresStoreTests/badAddresses"),
    ("shared: push refuses an existing rollout", "Sources/GoLivePostgres/RolloutTransfer.swift",
     "if try journal.rolloutExists(on: c) {", "if false {", "PostgresStoreTests/badAddresses"),
    ("shared: pull refuses an existing store", "Sources/GoLivePostgres/RolloutTransfer.swift",
     "if target.exists || FileIdentity.of(target.journalURL.path) != nil {", "if false {", "PostgresStoreTests/badAddresses"),
    ("shared: an sslmode libpq does not know is refused", "Sources/GoLivePostgres/PostgresAddress.swift",
     'guard let known = SSLMode(rawValue: mode) else {', 'guard let known = SSLMode(rawValue: mode) ?? .prefer as SSLMode? else {', "PostgresStoreTests/badAddresses"),
    ("shared: rollout names are checked", "Sources/GoLivePostgres/PostgresAddress.swift",
     'guard !rollout.isEmpty, rollout.count <= 100, rollout.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {', "guard true else {", "PostgresStoreTests/badAddresses"),
    ("shared: a step has a deadline", "Sources/GoLivePostgres/Blocking.swift",
     "if done.wait(timeout: .now() + timeout) == .timedOut {", "if done.wait(timeout: .distantFuture) == .timedOut {", "PostgresStoreTests/aServerThatStopsAnswering"),
    ("cockpit: a stale screen hides the old gate", "Sources/GoLiveUI/Views/HeaderView.swift",
     "let gate = s.stale != nil ?", "let gate = false ?", "StaleScreenTests|PostgresTmuxTests"),
    ("canary: a result after its lease is late", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "!current.canary.pendingUnknown, clock.now() <= leaseEnds else {", "!current.canary.pendingUnknown else {", "LateHookResultTests"),
    ("canary: an expired lease waits for a reconcile", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     'if readiness.now.timeIntervalSince(since) > orphanAfter {\n            return Refusal("the outcome of', 'if false {\n            return Refusal("the outcome of', "LateHookResultTests"),
    ("verifier: prev link", "Sources/GoLiveCore/Journal/JournalVerifier.swift",
     "if head.prev != prev {", "if false && head.prev != prev {", "JournalTests|AuditVerifyCLITests|ChainGuardTests"),
    ("fold: chain check", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     "} else if head.seq != state.seq + 1 || head.prev != state.head {", "} else if false {", "JournalTests|ChainGuardTests"),
    ("export: Ed25519 signature", "Sources/GoLiveCore/Audit/AuditSigning.swift",
     "key.isValidSignature(raw, for: message(sha: sha, head: sig.chainHead)) else {", "true else {", "AuditExportTests|AuditVerifyCLITests|ChainGuardTests"),
    ("export: link", "Sources/GoLiveCore/Audit/ExportVerifier.swift",
     "if head.seq == prevSeq + 1 && prevSeq > 0 && head.prev != prevHash {", "if false {", "AuditExportTests|ChainGuardTests"),
    ("export: genesis", "Sources/GoLiveCore/Audit/ExportVerifier.swift",
     "if !filtered && prevSeq == 0 && head.prev != Journal.genesis {", "if false {", "AuditExportTests|ChainGuardTests"),
    ("export: head", "Sources/GoLiveCore/Audit/ExportVerifier.swift",
     "} else if let h = header, !h.filtered, h.journalHead != prevHash || h.journalSeq != prevSeq {", "} else if false {", "AuditExportTests|ChainGuardTests"),
    ("export: digest", "Sources/GoLiveCore/Audit/ExportVerifier.swift",
     "} else if t.recordsSha256 != hasher.finalizeHex() {", "} else if false {", "AuditExportTests|ChainGuardTests"),
    ('waiver: max_days', 'Sources/GoLiveCore/Config/Permissions.swift',
     'guard expires <= limit else {', 'guard true else {', 'GateTests|PermissionTests|DecisionGuardTests'),
    ('waiver: expiry in the future', 'Sources/GoLiveCore/Config/Permissions.swift',
     'guard expires > now else {', 'guard true else {', 'GateTests|PermissionTests|DecisionGuardTests'),
    ("canary: advance must increase exposure", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "if cohort.exposurePct <= canary.exposurePct {", "if false {", "Canary|DecisionGuardTests"),
    ("canary: complete needs READY", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "guard verdict.ready else { return .refuse(\"cannot complete", "guard true else { return .refuse(\"cannot complete", "Canary|DecisionGuardTests"),
    ("canary: approve needs READY", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "guard verdict.ready else { return .refuse(\"the gate is NOT READY (", "guard true else { return .refuse(\"the gate is NOT READY (", "Canary|DecisionGuardTests"),
    ("canary: approvals lapse with the role", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "if holds && keyCounts && a.stateSha256 == stateSha256", "if keyCounts && a.stateSha256 == stateSha256", "Canary|DecisionGuardTests"),
    ("canary: approvals lapse with the policy", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "&& a.policySha256 == policySha256 {", "{", "Canary|DecisionGuardTests"),
    ("item: evidence role check", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "if let why = permissions.refusal(actor.operatorID, \"add evidence to\", item) { return .refuse(Refusal(why)) }",
     "if false, let why = permissions.refusal(actor.operatorID, \"add evidence to\", item) { return .refuse(Refusal(why)) }", "PermissionTests|DecisionGuardTests"),
    ("canary: two distinct approvals", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "guard approvers.count >= needed else {", "guard true else {", "CanaryPropertyTests/anAdvanceWithOnlyTheRequestersOwnApprovalMovesNothing|CanaryPropertyTests"),
    # Guards added for the integrity issue's smaller findings (10).
    ("time: spans are bounded", "Sources/GoLiveCore/Support/Timestamp.swift",
     "guard n.isFinite, n > 0, n * seconds <= maxSpanSeconds else {", "guard true else {", "TimestampTests|TimeInputCLITests"),
    ("time: a time reads back as written", "Sources/GoLiveCore/Support/Timestamp.swift",
     "if text.hasSuffix(\"Z\"), text.count >= 19, format(date).prefix(19) != text.prefix(19) { return nil }", "", "TimestampTests|TimeInputCLITests"),
    ("time: days exist in their month", "Sources/GoLiveCore/Support/Timestamp.swift",
     "(1...daysIn(month: m, year: y0)).contains(d)", "(1...31).contains(d)", "TimestampTests|TimeInputCLITests"),
    ("probe: read-only runs nothing", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "if readOnly { throw Refusal(\"read-only: probes are not run", "if false { throw Refusal(\"read-only: probes are not run", "ProbeEntryPointTests"),
    ("probe: roles before running", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "if let reason = change ?? Permissions(config).refusal(actor.operatorID, \"run the probe of\", item) {", "if let reason = change {", "ProbeEntryPointTests"),
    ("fold: each record's hash and version", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     "} else if !Journal.hashMatches(line) {", "} else if false {", "FoldIntegrityTests"),
    ("export: reads stop at the head it names", "Sources/GoLiveCore/Journal/LineReader.swift",
     "if offset >= limit { return false }", "", "AuditExportTests/anExportReadsUpToTheHeadItNamesNotWhatWasAppendedSince|ExportConsistencyCLITests"),
    ("hook: a late result is not its transition's", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "guard current.canary.pending?.id == transition.id, !current.canary.pendingUnknown, clock.now() <= leaseEnds else {", "guard clock.now() <= leaseEnds else {", "LateHookResultTests"),
    ("fold: a result settles only its own transition", "Sources/GoLiveCore/Canary/CanaryFold.swift",
     "        return pending?.id == t.id\n", "        return pending != nil\n", "LateHookResultTests"),
    ("store: links refused", "Sources/GoLiveCore/Journal/Store.swift",
     "if FileIdentity.of(url.path)?.isLink == true {", "if false {", "SymlinkCLITests"),
    ("init: copies bytes, not links", "Sources/GoLiveCore/Journal/StoreSetup.swift",
     "try copyBytes(from: source.appendingPathComponent(entry), to: target.appendingPathComponent(entry),\n                              root: source.resolvingSymlinksInPath().path, sourceFolder: source, depth: 0)",
     "try fm.copyItem(at: source.appendingPathComponent(entry), to: target.appendingPathComponent(entry))", "SymlinkCLITests"),
    ("init: never adopts a journal", "Sources/GoLiveCore/Journal/StoreSetup.swift",
     "if FileIdentity.of(store.journalURL.path) != nil {", "if false {", "SymlinkCLITests"),
    ("probe: files stay inside the store", "Sources/GoLiveCore/Probes/ProbeRunner.swift",
     "guard isInside(url, directory) || allowedPaths", "guard true || allowedPaths", "ProbePathCLITests"),
    ("yaml: a duplicate key named where it is", "Sources/GoLiveCore/Config/YAMLDocument.swift",
     "            let second = secondOccurrence(of: key, after: (first.line, first.column), in: context.text) ?? (first.line, first.column)",
     "            let second = (line: 1, column: 1)", "PolicyLintCLITests"),
    ("journal: records the snapshot saw are missed", "Sources/GoLiveCore/Journal/Store+Snapshot.swift",
        "guard let seen, seen > seq else { return nil }", "guard let seen, seen > seq, false else { return nil }", "LostRecordsCLITests"),
    ("snapshot: believed only as the journal committed it", "Sources/GoLiveCore/Journal/Store+Snapshot.swift",
     "guard committed == Digest.sha256Hex(snap.stateBytes) else {", "guard true else {", "SnapshotProofTests"),
    ("snapshot: the record it follows is seq and hash checked", "Sources/GoLiveCore/Journal/Store+Snapshot.swift",
     "guard let last = line(0), let head = verified(last), head.seq == snap.header.seq else {",
     "guard let last = line(0), let head = last.withUnsafeBufferPointer({ Journal.head(of: $0) }) else {", "SnapshotProofTests"),
    ('journal: a write is all or nothing', 'Sources/GoLiveCore/Journal/Store+JournalFile.swift',
     'if !writesAreAtomic, head.version >= Journal.firstVersionWithWrites, !Store.endsAWrite(bytes[from..<lastNL]),', 'if false,', 'TornBatchCLITests'),
    ("lever: rollback supersedes a transition in flight", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "        if case .rollback = action { return nil }\n", "", "EmergencyLeverTests"),
    ("lever: hold and rollback past a torn write", "Sources/GoLiveCore/Commands/Command.swift",
     "case .canary(.hold), .canary(.rollback): return true", "case .canary(.hold), .canary(.rollback): return false", "EmergencyLeverTests|ConfigAdoptionTests"),
    ("config: scripts in the configuration digest", "Sources/GoLiveCore/Config/RolloutConfigParser.swift",
     "        for command in scriptPaths(config) {", "        for command in [String]() {", "ConfigBindingTests|ConfigAdoptionTests"),
    # Finding 5: configuration is part of the record.
    ("config: an edit outside the journal refuses commands", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "if !command.isLever, let change = r.configurationChange { return .refuse(Refusal(change)) }", "", "ConfigAdoptionTests|GateTests"),
    ("config: an edit outside the journal closes the gate", "Sources/GoLiveCore/Readiness/Gate.swift",
     "if let change = r.configurationChange {", "if false, let change = r.configurationChange {", "ConfigAdoptionTests|GateTests"),
    ("config: a replaced probe script is not run", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "let change = Readiness(config: config, state: try store.loadState().state, now: clock.now()).configurationChange",
     "let change: String? = nil", "ConfigAdoptionTests"),
    ('config: only a captain adopts', 'Sources/GoLiveCore/Commands/Cockpit+Configuration.swift',
     'if let why = Permissions(authority).captainRefusal(actor.operatorID) {', 'if false, let why = Permissions(authority).captainRefusal(actor.operatorID) {', 'ConfigAdoptionTests'),
    ("config: a captain of the configuration in force", "Sources/GoLiveCore/Commands/Cockpit+Configuration.swift",
     "let authority = inForce ?? config", "let authority = config", "ConfigAdoptionTests"),
    ("config: adopted texts match their hashes", "Sources/GoLiveCore/Journal/Store+Records.swift",
     "guard ConfigFile.digest(files) == adopted.sha256, files.allSatisfy(\\.textMatchesHash) else {", "guard true else {", "ConfigAdoptionTests"),
    ("disk: repair, hold and rollback on the reserve", "Sources/GoLiveCore/Journal/Store.swift",
     "catch let error as SystemCallError where error.code == ENOSPC && settingAsideTornWrite && releaseReserve() {",
     "catch let error as SystemCallError where false {", "FullDiskTests"),
    ("probe: outside the store only where the policy allows", "Sources/GoLiveCore/Probes/ProbeRunner.swift",
     "|| allowedPaths.contains(where: { isInside(url, URL(fileURLWithPath: $0)) })", "|| !allowedPaths.isEmpty", "ProbePathCLITests"),
    ("sign-off: bound to its items' definitions", "Sources/GoLiveCore/Config/ItemCatalog.swift",
     ":\\(item.severity.rawValue):\\(item.owner):\\(item.title)\"", "\"", "ConfigAdoptionTests"),
    ("sign-off: the signer still holds the role", "Sources/GoLiveCore/Readiness/Readiness.swift",
     "return (signOff, signOff.itemsHash == hash && stillHolds ? .fresh : .stale)", "return (signOff, signOff.itemsHash == hash ? .fresh : .stale)", "ConfigBindingTests"),
    ("lever: works past a broken part of the configuration", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "let config = lever ? try store.loadConfigForLevers() : try store.loadConfig()", "let config = try store.loadConfig()", "LeversWithABrokenConfigurationTests|LeverCLITests"),
    ('repair: an interrupted repair is recorded', 'Sources/GoLiveCore/Journal/Store+Write.swift',
     'if loaded.tail.tornBytes == 0, let pending = readRepairPending() {', 'if false, let pending = readRepairPending() {', 'InterruptedRepairTests'),
    ("junit: not UTF-8 refused", "Sources/GoLiveCore/Probes/JUnitReader.swift",
     "guard let text = String(data: data, encoding: .utf8) else {", "guard let text = Optional(String(decoding: data, as: UTF8.self)) else {", "JUnitFuzzRegressionTests"),
    ("junit: processing instructions refused", "Sources/GoLiveCore/Probes/JUnitReader.swift",
     "        if let pi = rest.range(of: \"<?\") {", "        if false, let pi = rest.range(of: \"<?\") {", "JUnitFuzzRegressionTests"),
    ("snapshot: a newer one is set aside", "Sources/GoLiveCore/Journal/Store+Snapshot.swift",
     "try SystemCall.renameFile(snapshotURL.path, to: directory.appendingPathComponent(\"state.json.format", "_ = (snapshotURL.path, directory.appendingPathComponent(\"state.json.format", "SnapshotFormatCLITests"),
    # The identity issue: decisions are signed, and the rules count keys.
    ('identity: a signature that does not verify is not folded', 'Sources/GoLiveCore/Journal/Store+Fold.swift',
     'do { signer = try (checked ?? Result { try Journal.signingKey(of: line) }).get() } catch { return .refused("\\(error)") }', 'signer = (try? (checked ?? Result { try Journal.signingKey(of: line) }).get()) ?? nil', 'SignedIdentityTests'),
    ("identity: approvals count keys of the approver", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "keyCounts = a.key.map { roster.contains($0) && !keys.contains($0) } ?? false", "keyCounts = true", "SignedIdentityTests"),
    ("identity: an agent holding two operators' keys signs for neither", "Sources/GoLiveCore/Commands/DecisionSigner.swift",
     "            if !others.isEmpty {", "            if false {", "SignedIdentityTests"),
    ("identity: a key file must be the operator's", "Sources/GoLiveCore/Commands/DecisionSigner.swift",
     "                guard mine.contains(file.publicKey) else {\n                    return .failure(Refusal(\"the key in", "                guard true else {\n                    return .failure(Refusal(\"the key in", "SignedIdentityTests"),
    ("identity: a decision without a key is refused", "Sources/GoLiveCore/Commands/DecisionSigner.swift",
     "                if SignaturePolicy.requiresSignature(drafts[i].kind, drafts[i].data, config: config) { return why }", "                _ = why", "SignedIdentityTests"),
    ("identity: one key, one operator, where it is written", "Sources/GoLiveCore/Config/RolloutConfigParser.swift",
     "                        if let owner = seenKeys[keys.last!] {", "                        if false, let owner = seenKeys[keys.last!] {", "SignedIdentityTests"),
    ("audit: a signature by another operator's key is named", "Sources/GoLiveCore/Audit/DecisionAudit.swift",
     "guard let member = config.member(e.actor), member.keys.contains(signing) else {", "guard let member = config.member(e.actor), true else {", "SignedIdentityTests"),
    ("audit: a checkpoint the journal no longer extends", "Sources/GoLiveCore/Audit/Checkpoint.swift",
     "        guard found.hash == head else {", "        guard true else {", "IdentityCLITests"),
    # The cockpit issue: what you confirm is what happens.
    ("cockpit: a confirmation binds to what it showed", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "let mismatch = expecting?.mismatch(command, readiness)\n", "let mismatch: String? = nil\n", "aStaleAdvanceDialog|anOpenFormDoesNot"),
    ("cockpit: the time-driven hold at every command and in watch", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "            guard let hold = CanaryWatch.autoHold(Readiness(config: config, state: state, now: now)) else { return [] }",
     "            guard let hold = Optional<EventDraft>.none else { return [] }", "withNoCockpitOpen"),
    ("cockpit: paste is text, never keys", "Sources/GoLiveUI/Terminal/CursesTerminal.swift",
     "        if ch == 27, let pasted = readPaste() { return .key(.paste(pasted)) }\n", "", "pastedTextIsText"),
    ("process: a child keeps only its standard descriptors", "Sources/GoLiveCore/Support/ChildProcess.swift",
     "        if let closeFrom = Self.addCloseFrom { try add(\"close descriptors\", closeFrom(&actions, 3)) }\n", "", "InheritedDescriptorTests"),
    # Guards added for the cockpit issue's findings 6 and 7 and its architecture points (13).
    ("cockpit: forms only for what the core would take", "Sources/GoLiveUI/Update/Reducer.swift",
     "        if let refused = preflight(ask, s) { return refused }\n        s.dialog = .note(", "        s.dialog = .note(", "FormPreflightTests"),
    ("cockpit: no waive form the policy forbids", "Sources/GoLiveUI/Update/Reducer+Actions.swift",
     "            if let refused = preflight(ask, s) { return refused }\n            s.dialog = .waive(", "            s.dialog = .waive(", "FormPreflightTests"),
    ("cockpit: owner filter only in the blockers view", "Sources/GoLiveUI/Model/UIState.swift",
     "if listMode == .blockers, let owner = ownerFilter,", "if let owner = ownerFilter,", "FormPreflightTests"),
    ("cockpit: scrolling kept in range", "Sources/GoLiveUI/Views/Render.swift",
     "case .detail: s.scroll = PaneText.clamp(", "case .detail: s.scroll = max(0, s.scroll) + 0 * PaneText.clamp(", "ScrollingTests"),
    ("core: stale approvals are said", "Sources/GoLiveCore/Commands/Consequences.swift",
     "            if !lost.isEmpty {", "            if false {", "ConsequencesTests"),
    ("core: stale sign-offs are said", "Sources/GoLiveCore/Commands/Consequences.swift",
     "guard !was.isEmpty, after.signoffStanding(contour) != .fresh else { continue }", "continue", "ConsequencesTests"),
    ("cockpit: the log does not follow a symlink", "Sources/GoLiveUI/App/FileLogHandler.swift",
     "O_CREAT | O_NOFOLLOW |", "O_CREAT |", "refusalsGoToTheFileLog"),

    # Guards added for the performance issue (14).
    ("history: a record read by seq verifies", "Sources/GoLiveCore/Journal/Store+Records.swift",
     "            guard line.withUnsafeBufferPointer({ Journal.hashMatches($0) }),\n                  let e = try?", "            guard let e = try?", "JournalIndexTests"),
    ('snapshot: refreshed on cadence, not every write', 'Sources/GoLiveCore/Journal/Store+Write.swift',
     'let snapshotDue = sealed && (since.map {', 'let snapshotDue = sealed && (true || since.map {', 'SnapshotCadenceTests'),
    ("state: evidence kept bounded", "Sources/GoLiveCore/State/ItemState.swift",
     "if evidence.count > Self.evidenceKept {", "if false {", "fourWritersTwoHundredFiftyEach"),

    ("probe age: measured from the result, not the newest note", "Sources/GoLiveCore/Readiness/Readiness.swift",
     "let at = s.resultAt, now.timeIntervalSince(at)", "let at = s.evidence.last?.at, now.timeIntervalSince(at)", "ProbeEvidenceAgeTests"),
    # Guards added for windows, what-if, waiting and alerts (issue 16).
    ("calendar: an advance outside the windows is refused", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "if let why = calendarRefusal(breakGlass: breakGlass, member: member, readiness: readiness) { return .refuse(why) }", "", "ReleaseCalendarTests|BreakGlassRecordTests"),
    ("calendar: a window ends at its until", "Sources/GoLiveCore/Config/ReleaseWindow.swift",
     "return minute >= from && minute < until", "return minute >= from && minute <= until", "ReleaseCalendarTests"),
    ("calendar: a freeze beats the windows", "Sources/GoLiveCore/Config/ReleaseCalendar.swift",
     "if let freeze = freezes.first(where: { $0.contains(date) }) { return .frozen(freeze) }", "", "ReleaseCalendarTests|BreakGlassRecordTests"),
    ("calendar: zones are IANA names", "Sources/GoLiveCore/Config/PolicyParser+Calendar.swift",
     "guard id.contains(\"/\") || id == \"UTC\", let zone", "guard let zone", "ReleaseCalendarTests"),
    ("break-glass: only its roles", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "guard !Set(member.roles).isDisjoint(with: roles) else {", "guard true else {", "ReleaseCalendarTests"),
    ("break-glass: only approvals given for it count", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     "&& (!breakGlassOnly || a.breakGlass == true) {", "{", "ReleaseCalendarTests"),
    ('break-glass: its extra approvals', 'Sources/GoLiveCore/Canary/CanaryRules.swift',
     '(breakGlass ? policy.calendar.breakGlass.extraApprovals : 0)', '0', 'ReleaseCalendarTests'),
    ("wait: a held canary stops the wait", "Sources/GoLiveCore/Canary/WaitTarget.swift",
     "if canary.stage == .held { return .stopped(", "if false { return .stopped(", "WaitExitCodeTests"),
    ("wait: an unadopted configuration is refused", "Sources/GoLiveCore/Canary/WaitTarget.swift",
     "if let change = r.configurationChange { return .refused(change) }", "", "WaitExitCodeTests"),
    ("canary status: an unadopted configuration is refused", "Sources/GoLiveCore/Canary/CanaryExitStatus.swift",
     "readiness.configurationChange != nil ? .refused : of(overview)", "of(overview)", "WaitExitCodeTests"),
    ("items: blockers are blockers", "Sources/GoLiveCore/Readiness/ItemQuery.swift",
     "case .blockers: if item.severity != .blocker || a.standing == .satisfied { return nil }", "case .blockers: if a.standing == .satisfied { return nil }", "ScriptingCLITests"),
    ("what-if: a refused waiver is said", "Sources/GoLiveCore/Commands/WhatIf.swift",
     "answer.notes.append(", "_ = (", "WhatIfCLITests|WhatIfViewTests"),
    ("alerts: a timed alert is raised once", "Sources/GoLiveCore/Commands/Cockpit+Alerts.swift",
     "return wanted.filter { $0.key.map { !seen.contains($0) } ?? true }.map { alert in", "return wanted.map { alert in", "AlertDetectorTests|AlertDeliveryTests|AlertCLITests"),
    ("alerts: routed by kind", "Sources/GoLiveCore/Config/AlertRoute.swift",
     "if let kinds, !kinds.contains(kind) { return false }", "", "AlertDetectorTests|AlertCLITests"),
    ("alerts: routed by contour", "Sources/GoLiveCore/Config/AlertRoute.swift",
     "if let contours, Set(contours).isDisjoint(with: about) { return false }", "", "AlertDetectorTests|AlertCLITests"),
    ("alerts: a pager is cut at its timeout", "Sources/GoLiveCore/Canary/AlertHook.swift",
     "timeoutSeconds: route.timeoutSeconds, stdinFile", "timeoutSeconds: 120, stdinFile", "AlertCLITests"),
    ("stop the line: a failing store does not stop the others", "Sources/golive/CanaryCommands.swift",
     "worst = max(worst, ErrorReport.of(error)?.exitCode ?? 2)", "throw error", "StopTheLineTests"),
    ("decoder: a leading zero is refused", "Sources/GoLiveCore/Support/JSONReader.swift",
     "if digits > 1 && bytes[first] == UInt8(ascii: \"0\") { throw", "if false && digits > 1 && bytes[first] == UInt8(ascii: \"0\") { throw", "EventDecoderTests"),
    ("decoder: a record's required fields", "Sources/GoLiveCore/Journal/EventDecoder.swift",
     "guard seen == 1023 else {", "guard seen | 512 == 1023 else {", "EventDecoderTests"),
    ("snapshot decoder: an item's required fields", "Sources/GoLiveCore/Journal/SnapshotDecoder.swift",
     "let required = [\"status\", \"evidence\", \"evidenceCount\", \"revision\", \"history\", \"changes\"]", "let required: [String] = []", "SnapshotDecoderTests"),
    # Issue 14's speed must not cost a check: the kept parse of rollout.yaml, the read ahead, the key matcher.
    ("parsed config: only our own, unshared folder and file", "Sources/GoLiveCore/Config/ParsedConfigCache.swift",
     "(directory ? found.isDirectory : found.isRegularFile) && found.isOwnedByUsAlone",
     "(directory ? found.isDirectory : found.isRegularFile)", "ParsedConfigCacheTests"),
    ("parsed config: links are not followed", "Sources/GoLiveCore/Config/ParsedConfigCache.swift",
     "SystemCall.openIfPresent(path, O_RDONLY | O_NOFOLLOW)", "SystemCall.openIfPresent(path, O_RDONLY)", "ParsedConfigCacheTests"),
    ("parsed config: the body's digest", "Sources/GoLiveCore/Config/ParsedConfigCache.swift",
     "header.body_sha256 == digest, vouched", "true, vouched", "ParsedConfigCacheTests"),
    ("parsed config: the policy's digest", "Sources/GoLiveCore/Config/ParsedConfigCache.swift",
     "guard entry.config.policyFile.flatMap(policyBytes).map({ Digest.sha256Hex($0) }) == entry.policySha256 else { return nil }", "", "ParsedConfigCacheTests"),
    ("read ahead: used only if the files did not change", "Sources/GoLiveCore/Journal/Store.swift",
     "if let last, last.files == files { return last.loaded }",
     "if let last { return last.loaded }", "PrefetchTests"),
    ("write: the items before it kept for a live canary's alerts", "Sources/GoLiveCore/Canary/AlertDetector.swift",
     "-> Bool { state.canary.stage.isLive }", "-> Bool { false }", "AlertDetectorTests"),
    # A write decodes only what it touches (stop 23): the located items, the kept catalog, the thread, the scanner.
    ("items: a changed item wins over its kept bytes", "Sources/GoLiveCore/State/ItemStates.swift",
     "        if !changed.isEmpty, let s = changed[id] { return s }\n        return kept?.state(id)", "        return kept?.state(id) ?? changed[id]", "SnapshotDecoderTests"),
    ("items: a change starts from the kept state", "Sources/GoLiveCore/State/ItemStates.swift",
     "if let kept, changed[id] == nil, let s = kept.state(id) { changed[id] = s }", "", "SnapshotDecoderTests"),
    ("items: an unreadable kept item is shown failed", "Sources/GoLiveCore/State/ItemStates.swift",
     "unreadable.status = .failed", "unreadable.status = .open", "SnapshotDecoderTests"),
    ("items: a changed item is not also copied from the kept bytes", "Sources/GoLiveCore/State/ItemStates.swift",
     "for entry in kept.entries where changed[entry.id] == nil {\n                    comma()", "for entry in kept.entries {\n                    comma()", "SnapshotDecoderTests"),
    ("items: a kept item's whole entry is copied, key and all", "Sources/GoLiveCore/Support/JSONReader.swift",
     "members.append((key, start..<r.i, value..<r.i))", "members.append((key, value..<r.i, value..<r.i))", "SnapshotDecoderTests"),
    ("catalog: a kept definition must be of its id", "Sources/GoLiveCore/Config/ItemCatalog.swift",
     "guard item.id == ids[i] else {", "guard true else {", "ParsedConfigCacheTests"),
    ("catalog: an unreadable definition is parsed again, not unknown", "Sources/GoLiveCore/Config/ItemCatalog.swift",
     "return all.first { $0.id == id }", "return nil", "ParsedConfigCacheTests"),
    ("catalog: the probes' scripts are kept with the parse", "Sources/GoLiveCore/Config/ParsedConfigCache.swift",
     "probeCommands: config.definitions.probeCommands, contours:", "probeCommands: [], contours:", "ParsedConfigCacheTests"),
    ("thread: wait joins the work", "Sources/GoLiveCore/Support/BackgroundWork.swift",
     "if first, let thread { pthread_join(thread, nil) }", "", "BackgroundWorkTests"),
    ("scanner: quotes hide brackets", "Sources/GoLiveCore/Support/JSONReader.swift",
     "} else if c == 0x22 {\n                inString = true", "} else if c == 0x22 {\n                inString = false", "JSONReaderSkipTests"),
    ("scanner: an escape is passed over", "Sources/GoLiveCore/Support/JSONReader.swift",
     "if c == 0x5C { i += 1 } else if c == 0x22 { inString = false }", "if c == 0x22 { inString = false }", "JSONReaderSkipTests"),
    ("reader: a number that is read is checked", "Sources/GoLiveCore/Journal/EventDecoder.swift",
     "case \"v\": e.v = try r.int(); seen |= 1", "case \"v\": try r.skipValue(); e.v = 2; seen |= 1", "EventDecoderTests"),
    ("reader: a record needs every required field", "Sources/GoLiveCore/Journal/EventDecoder.swift",
     "guard seen == 1023 else {", "guard seen & 1 == 1 else {", "EventDecoderTests"),
    ("reader: non-ASCII keys go through string()'s checks", "Sources/GoLiveCore/Support/JSONReader.swift",
     ", r.bytes[r.i] >= 0x20, r.bytes[r.i] < 0x80 {", ", r.bytes[r.i] >= 0x20 {", "EventDecoderTests|SnapshotDecoderTests"),
    ("cockpit: the window countdown ticks before the canary starts", "Sources/GoLiveUI/Model/Dashboard.swift",
     "} else if readiness.config.policy.calendar.restricts {", "} else if false {", "ReleaseWindowViewTests"),
    ("calendar: a zone written UTC is shown as UTC", "Sources/GoLiveCore/Config/ReleaseWindow.swift",
     "zone.identifier == \"GMT\" ? \"UTC\" : zone.identifier", "zone.identifier", "ReleaseCalendarTests"),
    # One judge (issue 25): each rule of RecordJudge removed in turn, and the test that notices.
    ("judge: role", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     'return permissions.refusal(e.actor, "set", item)', "return nil", "OneJudgeTests/aMemberBeyondTheirRole"),
    ("judge: policy limits (waivers)", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "return permissions.waiverRefusal(e.actor, item, expires: expires, now: e.ts)", "return nil", "OneJudgeTests/unsignedResultsAndForbiddenWaivers"),
    ('judge: adoption by a captain', 'Sources/GoLiveCore/Journal/RecordJudge.swift',
     '            if let why = permissions.captainRefusal(e.actor) { return why }\n            return looseningRefusal(', '            return looseningRefusal(', 'OneJudgeTests/anAdoptionSignedByANonCaptain'),
    ("judge: an outcome settles its own transition", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "if let t = d.transition, t != pending {", "if false, let t = d.transition, t != pending {", "OneJudgeTests/aForgedOutcome"),
    ("judge: the cap", "Sources/GoLiveCore/Canary/CanaryRules.swift",
     "if t.exposurePct > limit + 1e-9 {", "if false {", "OneJudgeTests/aHandWrittenAdvance"),
    ("judge: excluded tenants", "Sources/GoLiveCore/Canary/CanaryRules.swift",
     "if tenant.excluded {", "if false {", "OneJudgeTests/aHandWrittenAdvance"),
    ("judge: signature required", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "if SignaturePolicy.requiresSignature(e.kind, e.data, config: config) {\n                return \"\\(e.kind.rawValue) by", "if false {\n                return \"\\(e.kind.rawValue) by",
     "OneJudgeTests/anUnsignedAdoption|OneJudgeTests/unsignedResults|OneJudgeCLITests"),
    ("judge: a signature by the actor's key", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "guard member.keys.contains(signer) else {", "guard true else {", "SignedIdentityTests/aDecisionSignedWithAnotherOperatorsKey"),
    ("judge: state digest from a signed record", "Sources/GoLiveCore/Journal/Store+Snapshot.swift",
     "if let why = commitmentProblem(event, line: record.line, state: state, judged: judged.withLock { $0 }) { return .failure(ProofFailure(message: why)) }", "",
     "OneJudgeTests/aForgedStateVouched"),
    ("judge: time order", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "if let last = state.lastEventAt, e.ts < last.addingTimeInterval(-clockTolerance) {", "if false, let last = state.lastEventAt {",
     "OneJudgeTests/recordsThatGoBackInTime"),
    ("judge: the writer refuses a slow clock", "Sources/GoLiveCore/Journal/Store+Write.swift",
     "if let last = state.lastEventAt, stamp < last.addingTimeInterval(-RecordJudge.clockTolerance) {", "if false, let last = state.lastEventAt {",
     "OneJudgeTests/recordsThatGoBackInTime"),
    ("judge: a refused record is not folded", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     "if let why = RecordJudge.refusal(event, signer: signer, state: state, config: config) { return .refused(why) }", "",
     "OneJudgeTests/anUnsignedAdoption"),
    ("judge: the writer folds through the judge", "Sources/GoLiveCore/Journal/Store+Write.swift",
     'throw StoreError.judged("golive would write a record its readers refuse', 'break; _ = ("golive would write a record its readers refuse',
     "SignedIdentityTests/aDecisionSignedWithAnotherOperatorsKey"),
    ("judge: untrusted refuses all but the levers", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "if !command.isLever, let why = r.untrustedReason { return .refuse(Refusal(why, remedies: r.notCurrent ? [] : [.setAsideRefusedRecords])) }", "", "OneJudgeTests/anUnsignedAdoption"),
    ("judge: untrusted gate is NOT READY", "Sources/GoLiveCore/Readiness/Gate.swift",
     "if let why = r.untrustedReason {", "if false, let why = r.untrustedReason {", "OneJudgeTests/anUnsignedAdoption"),
    ("judge: a set-aside only by a captain", "Sources/GoLiveCore/Commands/Cockpit+SetAside.swift",
     'if let why = Permissions(inForce).captainRefusal(actor.operatorID, to: "set refused records aside") {',
     'if false, let why = Permissions(inForce).captainRefusal(actor.operatorID, to: "set refused records aside") {',
     "OneJudgeTests/aCaptainSetsRefusedRecordsAside"),
    ("judge: automation says what it is", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "if let member = config.member(e.actor), member.automation != (e.data.automation == true),",
     "if false, let member = config.member(e.actor), member.automation != (e.data.automation == true),", "OneJudgeTests/automationSignsAsWhatItIs"),
    # Issue 25, a broken chain refused where it stands; the cache believed only as vouched.
    ("chain: an edited record is refused, not folded", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     "} else if !Journal.hashMatches(line) {", "} else if false {", "OneJudgeTests/aBrokenChainIsRefused|FoldIntegrityTests"),
    ("chain: an unlinked record is refused, not folded", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     "} else if head.seq != state.seq + 1 || head.prev != state.head {", "} else if false {", "OneJudgeTests/aBrokenChainIsRefused|ChainGuardTests"),
    ("chain: a newer record is refused, not folded", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     "if head.version > Journal.formatVersion {\n                        broken =", "if false {\n                        broken =", "JournalTests/newerFormats|FoldIntegrityTests"),
    ("chain: a line that is no record holds no place", "Sources/GoLiveCore/Journal/Store+Fold.swift",
     'reason: "not a journal record (no version, seq, link and hash where a record has them)", inChain: false)',
     'reason: "not a journal record (no version, seq, link and hash where a record has them)", inChain: true)', "OneJudgeTests/aBrokenChainIsRefused"),
    ("chain: a last line that is no record is set aside", "Sources/GoLiveCore/Journal/Store+JournalFile.swift",
     "if let before = try lastRecord(fd: fd, before: size - window + from, path: path, endingAWrite: !writesAreAtomic) {",
     "if false, let before = try lastRecord(fd: fd, before: size - window + from, path: path, endingAWrite: !writesAreAtomic) {", "OneJudgeTests/aHostileLastLine"),
    ("chain: set-aside keeps a non-record line", "Sources/GoLiveCore/Journal/Store+Records.swift",
     'name = "\\(lastSeq + 1) \\(Digest.sha256Hex(line))"', 'name = ""', "OneJudgeTests/aBrokenChainIsRefused"),
    ("cache: believed only as an adoption vouches", "Sources/GoLiveCore/Config/ParsedConfigCache.swift",
     "vouched == nil || vouched == digest,", "true,", "ParsedConfigCacheVouchTests/aForgedEntry|ParsedConfigCacheCLITests"),
    ("cache: a refused record vouches for nothing beyond itself", "Sources/GoLiveCore/Config/RolloutConfigParser.swift",
     "if stands { rememberInForce(kept) }", "rememberInForce(kept)", "ParsedConfigCacheVouchTests"),
    ("cache: the disk load takes only the parse in force", "Sources/GoLiveCore/Config/RolloutConfigParser.swift",
     "if onDisk.sha256 == inForce.sha256 {", "if true {", "ParsedConfigCacheCLITests|ParsedConfigCacheVouchTests|ConfigAdoptionTests"),
    ("no-follow: init --from refuses a link leading out", "Sources/GoLiveCore/Journal/StoreSetup.swift",
     "guard target.path == root || target.path.hasPrefix(root + \"/\") else {", "guard true else {", "CLITests/initFromCopiesBytesNotLinks|TemplateCopyTests"),
    ("no-follow: the template copy reads no link", "Sources/GoLiveCore/Journal/StoreSetup.swift",
     "guard let read = SystemCall.readRegularFile(source.path, limit: Int(Int32.max) * 4) else {",
     "guard let read = Optional((bytes: [UInt8](try Data(contentsOf: source)), info: st)) else {", "LayerRuleTests/storeCodeOpensFilesOneWay"),
    ("judge: the first adoption is signed at init", "Sources/GoLiveCore/Journal/StoreSetup.swift",
     "if config.identity == .signed, let signer, let found = signer(config, store.directory),", "if false, let signer, let found = signer(config, store.directory),", "NewTeamWalkTests"),
    ("cache: the disk check keeps nothing under edited files", "Sources/GoLiveCore/Config/RolloutConfigParser.swift",
     "let onDisk = withFiles(inForce, rollout: rollout, policyBytes: policyBytes, directory: directory)",
     "let onDisk = finish(inForce, rollout: rollout, policyBytes: policyBytes, directory: directory)", "ParsedConfigCacheTests/checkingTheDiskAgainst"),
    ("cache: window days encode in one order", "Sources/GoLiveCore/Config/ReleaseWindow.swift",
     "try c.encode(days.sorted(), forKey: .days)", "try c.encode(Array(days), forKey: .days)", "ParsedConfigCacheTests/aKeptParseIsTheParse"),
    ("cache: capability fields encode keyed", "Sources/GoLiveCore/Catalog/CapabilityField.swift",
     "extension CapabilityField: CodingKeyRepresentable {}", "", "ParsedConfigCacheTests/aKeptParseIsTheParse"),
    ("shared: no password in the journaled command line", "Sources/golive/Options.swift",
     "Invocation.arguments.map(withoutSecrets)", "Invocation.arguments", "PostgresStoreTests/theDatabasePasswordNeverReachesARecord"),
    ("bounded: JSON depth", "Sources/GoLiveCore/Support/JSONReader.swift",
     "guard depth <= Self.maxDepth else {", "guard true else {", "OneJudgeTests/hostileRecords"),
    ("bounded: YAML alias expansion", "Sources/GoLiveCore/Config/YAMLBounds.swift",
     "guard max(total, stack.last?.nodes ?? 0) <= maxNodes else {", "guard true else {", "YAMLBoundsTests"),
    ("bounded: YAML keys are plain", "Sources/GoLiveCore/Config/YAMLBounds.swift",
     'if isKey { throw error(event, "an alias used as a mapping key', 'if false { throw error(event, "an alias used as a mapping key', "YAMLBoundsTests"),
    ("no-follow: repair.pending", "Sources/GoLiveCore/Journal/Store+Write.swift",
     "if loaded.tail.tornBytes == 0, let pending = readRepairPending() {", "if loaded.tail.tornBytes == 0, let pending = try? String(contentsOf: repairPendingURL, encoding: .utf8), !pending.isEmpty {",
     "OneJudgeTests/aPlantedRepairNote"),
    ("levers: the adopted hook text runs", "Sources/GoLiveCore/Canary/TransitionHook.swift",
     "if !words.isEmpty { words[0] = run.path }", "", "ProvenLeverTests"),
    ("levers: the adopted configuration", "Sources/GoLiveCore/Journal/Store.swift",
     "if let adopted = try? loadState().state.adoptedConfig {", "if false, let adopted = try? loadState().state.adoptedConfig {", "ProvenLeverTests"),
    ("demo keys: copied only when asked", "Sources/GoLiveCore/Journal/StoreSetup.swift",
     '&& (withDemoKeys || entry != "demo-keys")', "", "DemoKeyTests"),
    ("demo keys: a roster holding them says DEMO", "Sources/golive/TextReports.swift",
     "if let demo = r.config.demoWarning { out.append(safe(demo)) }", "", "DemoKeyTests"),
    ("rules: a blocker blocks", "Sources/GoLiveCore/Readiness/Gate.swift",
     "if !blockerFindings.isEmpty {", "if false {", "BlockersBlockTests"),
    ("rules: a blocker behind a condition is said once", "Sources/GoLiveCore/Readiness/Gate.swift",
     "if item.severity == .blocker && closedOnlyIfSatisfied.items.contains(item.id) { continue }", "", "GateTests/sampleRolloutIsNotReady"),
    ("rules: not gating is shown", "Sources/GoLiveCore/Readiness/GateReport.swift",
     "if !v.notGating.isEmpty {", "if false {", "BlockersBlockTests"),
    ("rules: the key press brings the time", "Sources/GoLiveUI/Update/Reducer.swift",
     "                s.now = at\n", "", "OneClockTests"),
    ("rules: a note is not an input of the verdict", "Sources/GoLiveCore/Journal/EventKind.swift",
     "public var movesVerdictInputs: Bool { changesReadiness && self != .itemEvidence }", "public var movesVerdictInputs: Bool { changesReadiness }",
     "ConsequencesTests"),
    ("rules: a required sign-off's standing is an input", "Sources/GoLiveCore/Readiness/Readiness.swift",
     'for (contour, standing) in standings { text += ":\\(contour.rawValue)=\\(standing.rawValue)" }', "", "ConsequencesTests"),
    ("rules: an approval binds to the state shown", "Sources/GoLiveCore/Commands/SeenState.swift",
     "if !now.hasPrefix(verdictState) { changed.append(", "if false { changed.append(", "ConsequencesTests|approveSaysWhatItBindsTo"),
    ("rules: the cockpit shows an approval before signing", "Sources/GoLiveUI/Update/CanaryReducer.swift",
     '        case .canaryApprove: ask = .approve(note: "")', '        case .canaryApprove: return [.perform(.canary(.approve(note: "")), success: "")]', "ReducerTests"),
    ("rules: a refusal before a form is journaled", "Sources/GoLiveCore/Commands/Cockpit.swift",
     '            return framed([EventDraft(.actionRefused, EventData(reason: why.reason, command: command.spelled))], ending: "refused")\n        }\n        return refusal',
     '            return []\n        }\n        return refusal', "CockpitCheckTests"),
    ("rules: an unknown outcome is degraded in any stage", "Sources/GoLiveCore/Canary/CanaryExitStatus.swift",
     "if overview.pendingUnknown { return .degraded }", "", "CanaryExitStatusTests"),
    ("rules: the canary footer offers what applies", "Sources/GoLiveUI/Update/Keymap.swift",
     " && ($0.scope != .canary || applies($0.action))", "", "ReadableTextTests/theCanaryFooterOffersTheKeysThatApplyNow"),
    ("rules: resume needs a reason", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "            case let .hold(reason), let .rollback(reason), let .resume(reason):\n", "            case let .hold(reason), let .rollback(reason):\n", "CanaryCLITests"),
    ("rules: a sign-off binds to the contour shown", "Sources/GoLiveCore/Commands/SeenState.swift",
     "guard let contourHash, !r.contourHash(contour).hasPrefix(contourHash) else { return nil }", "return nil", "NoSilentOverwrite"),
    ("rules: the waive form carries its revision", "Sources/GoLiveUI/Update/Reducer.swift",
     "                                         expecting: SeenState(itemRevision: revision))]", "                                         expecting: nil)]", "ReducerTests"),
    ("rules: a replaced waiver says whose", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "guard let w = r.state.item(id).waiver, w.by != actor.operatorID, w.expires > r.now else { return [] }", "guard let w = r.state.item(id).waiver, false else { return [] }", "NoSilentOverwriteTests"),
    ("rules: a sign-off over open blockers says so", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "            guard !open.isEmpty else { return [] }", "            return []", "NoSilentOverwriteTests"),
    ("rules: a refused form keeps what was typed", "Sources/GoLiveUI/Update/Reducer.swift",
     "                s.dialog = form\n", "", "ReducerTests"),
    ("rules: the auditor's allowed signers are enforced", "Sources/golive/ReadCommands.swift",
     "if let anchors, let signer, outside == nil, !anchors.allows(principal: e.actor, key: signer, at: e.ts) {",
     "if let anchors, let signer, outside == nil, anchors.entries.isEmpty, !anchors.allows(principal: e.actor, key: signer, at: e.ts) {",
     "theAuditorsAnchorsComeFromTheJournal"),
    ("rules: allowed-signers prints the adopted roster", "Sources/golive/TeamCommands.swift",
     "                for key in member.keys { print(GoLiveCore.AllowedSigners.line(principal: member.id, key: key)) }",
     "                for key in member.keys { print(GoLiveCore.AllowedSigners.line(principal: member.id, key: key)) }\n            }\n            for member in (try? store.loadConfig())?.team ?? [] where !adoption.team.contains(where: { $0.id == member.id }) {\n                for key in member.keys { print(GoLiveCore.AllowedSigners.line(principal: member.id, key: key)) }",
     "theAuditorsAnchorsComeFromTheJournal"),
    ("rules: a key's validity ends at the adoption that drops it", "Sources/GoLiveCore/Audit/RosterHistory.swift",
     "                grant.validBefore = adoption.at\n", "", "theAuditorsAnchorsComeFromTheJournal"),
    ("rules: loosening takes two people (writer)", "Sources/GoLiveCore/Commands/Cockpit+Configuration.swift",
     "if let inForce, let why = RecordJudge.looseningRefusal(", "if false, let inForce, let why = RecordJudge.looseningRefusal(", "LooseningTests/oneCaptainCannotLoosen"),
    ("rules: loosening takes two people (judge)", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "            return looseningRefusal(adopting: files,", "            return nil; _ = looseningRefusal(adopting: files,", "LooseningTests/aHandWrittenLooseningAdoption"),
    ("rules: a consent counts once per person", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "where a.digest == digest && a.base == state.adoptedConfig?.sha256 && !people.contains(a.by) {",
     "where a.digest == digest && a.base == state.adoptedConfig?.sha256 {", "LooseningTests/aProposerWhoAdoptsCountsOnce"),
    ("rules: a lighter blocker loosens", "Sources/GoLiveCore/Config/Loosening.swift",
     "if now.severity > item.severity {", "if false {", "LooseningTests/whatLoosens"),
    ("report: the signer key of each decision", "Sources/GoLiveCore/Audit/AuditExporter.swift",
     "e.sig.flatMap { try? SSHSignature(base64: $0) }?.publicKey.fingerprint ?? \"\"", "\"\"", "AuditorReportTests"),
    ("report: a waiver's standing now", "Sources/GoLiveCore/Audit/MarkdownReport.swift",
     "guard let w = current.waiver, w.by == e.actor, w.at == e.ts, current.status == .waived else {",
     "guard let w = current.waiver else {", "AuditorReportTests"),
    ("rules: the bootstrap exception needs a small roster", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "guard approvers.count >= needed else { return nil }", "guard approvers.count >= 99 else { return nil }", "LooseningTests/oneCaptainCannotLoosen"),
    ("rules: team add keeps the file whole on a bad edit", "Sources/GoLiveCore/Commands/TeamEdit.swift",
     "            try DurableFile.write(before, to: url)\n", "", "TeamEditTests"),
    ("rules: CI polling does not flood the journal", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "if let last = tail.last, last.seq == state.seq, Self.alreadyShown(shown, to: actor.operatorID, tail: tail) { return [] }", "", "GatePollingTests"),
    ("rules: what-if exits as the gate would", "Sources/golive/WhatIfCommand.swift",
     "        if !answer.then.ready { throw ExitCode(1) }\n    }", "    }", "WhatIfCLITests"),
    ("shared: a session bounds what it holds", "Sources/GoLivePostgres/PostgresJournal.swift",
     '("idle_in_transaction_session_timeout", "10s"), ', "", "PostgresStoreTests/aWriterFrozenAfterItsInsert"),
    ("shared: a lock wait names its holder", "Sources/GoLivePostgres/PostgresJournal.swift",
     "            } catch let e as StoreError where \"\\(e)\".contains(\"SQLSTATE 55P03\") {", "            } catch let e as StoreError where false {", "PostgresStoreTests/aLeverThatCannotGetTheLock"),
    ("shared: server records are never a torn write", "Sources/GoLiveCore/Journal/Store+JournalFile.swift",
     "            if !writesAreAtomic, head.version >= Journal.firstVersionWithWrites,", "            if head.version >= Journal.firstVersionWithWrites,",
     "PostgresStoreTests/oneInsertedRowNeverWedgesTheLevers"),
    # The keys people have, touch, and the proof bundle (issue 29).
    ("keys: a signature must verify", "Sources/GoLiveCore/Support/SSHPublicKey+Check.swift",
     "guard valid else {", "guard true else {", "SSHSIGVectorTests"),
    ("keys: a FIDO2 key's flags are signed", "Sources/GoLiveCore/Support/SSHPublicKey+Check.swift",
     "+ [presence.flags] +", "+ [presence.flags | 0x01] +", "SSHSIGVectorTests/theHardwareVectors"),
    ("keys: a webauthn challenge is the message", "Sources/GoLiveCore/Support/SSHPublicKey+Check.swift",
     "guard webauthn.clientData.starts(with: preamble) else {", "guard true else {", "SSHSIGVectorTests/oneChangedByteOfTheMessage"),
    ("keys: the namespace is checked", "Sources/GoLiveCore/Support/SSHSignature.swift",
     "guard namespace == expected else {", "guard true else {", "SSHSIGVectorTests/anotherNamespace"),
    ("keys: an RSA key of 2048 bits or more", "Sources/GoLiveCore/Support/SSHPublicKey.swift",
     "guard bits >= SSHKeyType.rsaMinimumBits else {", "guard true else {", "SSHSIGVectorTests/keysGoLiveCannotVerify"),
    ("keys: an agent's answer has a deadline", "Sources/GoLiveCore/Support/SSHAgent.swift",
     "giveUpAt = started.addingTimeInterval(deadline)", "giveUpAt = started.addingTimeInterval(deadline * 30)", "KeyTypesCLITests/anAgentThatNeverAnswers"),
    ("keys: a key that does not sign is a refusal", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "            throw Refusal(why)\n        }\n        let (state, events) = appended", "            throw failure\n        }\n        let (state, events) = appended",
     "KeyTypesCLITests/anAgentThatNeverAnswers"),
    ("keys: the cockpit's agent ends with it", "Sources/GoLiveCore/Support/SSHAgentProcess.swift",
     "cat >/dev/null; kill $agent; wait $agent", "cat >/dev/null; wait $agent", "IdentityCLITests/anEncryptedKeyIsUnlocked"),
    ("keys: a key signs outside the lock", "Sources/GoLiveCore/Journal/Store+Write.swift",
     "guard deciding || (plan.needsSignatures && !signingHere) else {", "guard deciding || (plan.needsSignatures && false) else {", "TouchTests/aKeyWaitingForATouch"),
    ("touch: the judge asks for it", "Sources/GoLiveCore/Journal/RecordJudge.swift",
     "return touchRefusal(e, member: member, policy: config.policy)", "return nil", "TouchTests"),
    ("touch: an untouched key is refused", "Sources/GoLiveCore/Journal/TouchRequirement+Judge.swift",
     "guard presence.userPresent else {", "guard true else {", "TouchTests/anUntouchedApproval|KeyTypesCLITests/aPolicyThatRequiresATouch"),
    ("touch: verified means verified", "Sources/GoLiveCore/Journal/TouchRequirement+Judge.swift",
     "if self == .verified, !presence.userVerified {", "if false {", "TouchTests/aPolicyThatRequiresVerification"),
    ("touch: a key without flags cannot show one", "Sources/GoLiveCore/Journal/TouchRequirement+Judge.swift",
     "guard let presence = signature.presence else {", "guard let presence = signature.presence ?? SKPresence(flags: 5, counter: 0) as SKPresence? else {",
     "TouchTests/aPolicyThatRequiresVerification"),
    ("touch: audit verify asks for it", "Sources/GoLiveCore/Audit/DecisionAudit.swift",
     "if let why = RecordJudge.touchRefusal(e, member: member, policy: config.policy) {", "if false, let why = Optional(\"\") {", "TouchTests/aHandWritten"),
    ("touch: needs a hardware key in the entry", "Sources/GoLiveCore/Config/RolloutConfigParser.swift",
     "guard keys.contains(where: \\.type.isHardware) else {", "guard true else {", "TouchTests/touchIsRead"),
    ("touch: lowering it loosens", "Sources/GoLiveCore/Config/Loosening.swift",
     "if let was = before.touch, member.touch == nil || member.touch! < was {", "if false, let was = before.touch {", "TouchTests/touchIsRead"),
    ("bundle: records as the journal has them", "Sources/GoLiveCore/Audit/ProofBundle.swift",
     "try sink.write(line)\n", "try sink.write(line.dropLast())\n", "ProofBundleTests/theBundleOfAWalkedCanary"),
    ("bundle: nothing written over", "Sources/GoLiveCore/Audit/ProofBundle.swift",
     "guard !FileManager.default.fileExists(atPath: folder.path) else {", "guard true else {", "ProofBundleTests/theBundleOfAWalkedCanary"),
    ("keys: a checkpoint is judged by the roster at its seq", "Sources/golive/ReadCommands.swift",
     "} else if let team = history.roster(at: cp.seq)?.team ?? (try? Store", "} else if let team = Optional<[Operator]>.none ?? (try? Store",
     "IdentityCLITests/aCheckpointSignedBeforeAKeyRotation"),
    ("keys: the cockpit says while a key waits", "Sources/GoLiveUI/App/CockpitLoop.swift",
     "if state.dashboard.config.identity == .signed {\n            send(.notice(\"signing", "if false {\n            send(.notice(\"signing",
     "KeyTypesCLITests/theCockpitSaysWhileAKeyWaits"),
    ("witness: a copy that ends on its acknowledged head is checked when the server does not continue it", "Sources/GoLiveCore/Journal/Store+Shared.swift",
     "if try ack.map({ try witness($0, fetch) }) ?? true { try cutCopy(to: 0) }", "try cutCopy(to: 0)", "PostgresStoreTests/aMachineNeverSilently"),
    ("witness: a divergence makes the machine's state UNTRUSTED", "Sources/GoLiveCore/Journal/Store+Witness.swift",
     "guard let d = divergence else {\n", "guard let d = Optional<Divergence>.none else {\n", "PostgresStoreTests/aMachineNeverSilently"),
    ("witness: audit verify --store checks the acknowledged head", "Sources/golive/ReadCommands.swift",
     "if let why = try witness.divergence?.summary ?? seen?.problem(journal: journal)", "if let why = try Optional<String>.none ?? seen?.problem(journal: journal)", "PostgresStoreTests/aMachineNeverSilently"),
    ("witness: audit verify --store proves the acknowledged head", "Sources/golive/ReadCommands.swift",
     "if let why = try witness.divergence?.summary ?? seen?.problem(journal: journal)", "if let why = try witness.divergence?.summary ?? Optional<String>.none", "PostgresStoreTests/aMachineNeverSilently"),
    ("witness: the head is acknowledged after a commit", "Sources/GoLiveCore/Journal/Store+Shared.swift",
     "try? acknowledge(try tail().last)\n", "\n", "PostgresStoreTests/aMachineNeverSilently"),
    ("shared: an unanswered heartbeat makes the store stale", "Sources/GoLivePostgres/PostgresJournal.swift",
     "public var connectionProblem: String? { silence.withLock { $0 } ?? problem.withLock { $0 } }", "public var connectionProblem: String? { problem.withLock { $0 } }",
     "PostgresTmuxTests/aBlackHoled"),
    ("shared: require never falls back to cleartext", "Sources/GoLivePostgres/PostgresJournal.swift",
     "return mode.requiresTLS ? .require(context) : .prefer(context)", "return .prefer(context)", "PostgresStoreTests/tlsIsUsed"),
    ("shared: verify-full checks the host", "Sources/GoLivePostgres/PostgresJournal.swift",
     "case .verifyFull: t.certificateVerification = .fullVerification", "case .verifyFull: t.certificateVerification = .noHostnameVerification", "PostgresStoreTests/tlsIsUsed"),
    ("shared: a verified mode trusts only its CA", "Sources/GoLivePostgres/PostgresJournal.swift",
     "t.trustRoots = root == \"system\" ? .default : .file(root)", "t.certificateVerification = .none", "PostgresStoreTests/tlsIsUsed"),
    ("shared: the records are append-only for the owner too", "Sources/GoLivePostgres/PostgresSchema.swift",
     '"CREATE TRIGGER golive_records_no_rewrite BEFORE UPDATE OR DELETE', '"SELECT 1 --', "PostgresStoreTests/dailyUse"),
    ("shared: the heartbeat's head counts as a change (PgBouncer)", "Sources/GoLivePostgres/PostgresJournal.swift",
     "if head != nil { changes.withLock { $0 += 1 } }", "if head != nil && false { changes.withLock { $0 += 1 } }", "PostgresTmuxTests/behindPgBouncer"),
    ("offline: a lever falls back to this machine's copy when the server cannot be reached", "Sources/GoLiveCore/Commands/Cockpit+Offline.swift",
     "} catch let StoreError.unreachable(why) where command.isLever {\n                store.workOffline(why)", "} catch let StoreError.unreachable(why) where command.isLever && false {\n                store.workOffline(why)",
     "OfflineLeverTests"),
    ("offline: a pending lever is kept", "Sources/GoLiveCore/Commands/Cockpit+Offline.swift",
     "data: $0.data) } }\n            try store.keepPendingLever(lever)\n", "data: $0.data) } }\n", "PostgresStoreTests/aRollbackDuringAnOutage"),
    ("offline: a command opens this machine's copy when the server cannot be reached", "Sources/golive/SharedStore.swift",
     "} catch let StoreError.unreachable(why) {", "} catch let StoreError.unreachable(why) where false {", "PostgresStoreTests/aRollbackDuringAnOutage"),
    ("offline: a copy whose server is silent is never READY", "Sources/GoLiveCore/Journal/Store+Witness.swift",
     "guard let why else { return state }", "guard let why, false else { return state }", "OfflineLeverTests|PostgresStoreTests/aRollbackDuringAnOutage"),
    ("witness: a machine keeps a signed checkpoint of what it saw committed", "Sources/GoLiveCore/Commands/Cockpit+Offline.swift",
     "                keepWitnessCheckpoint(config: outcome.readiness.config, actor: actor)\n", "\n", "PostgresStoreTests/aMachineNeverSilently"),
    ("witness: audit verify --store proves the machine's checkpoint", "Sources/golive/ReadCommands.swift",
     "if FileManager.default.fileExists(atPath: kept) { verifying.checkpoint.append(kept) }", "_ = kept", "PostgresStoreTests/aMachineNeverSilently"),
    ("offline: a pending lever is shared once by this machine's processes", "Sources/GoLiveCore/Commands/Cockpit+Offline.swift",
     "return try store.withPendingLeversLock { try sharePendingLeversNow() }", "return try sharePendingLeversNow()", "PostgresStoreTests/aRollbackDuringAnOutage"),
    ("offline: a pending line golive cannot read is kept", "Sources/GoLiveCore/Journal/Store+Offline.swift",
     "let rest = pendingLines().filter { (try? JSONCoding.decoder().decode(PendingLever.self, from: Data($0)))?.id != id }",
     "let rest = pendingLines().filter { (try? JSONCoding.decoder().decode(PendingLever.self, from: Data($0))).map { $0.id != id } ?? false }", "PostgresStoreTests/aRollbackDuringAnOutage"),
    ("offline: a lever's alerts are shared with it", "Sources/GoLiveCore/Commands/Cockpit+Offline.swift",
     "                    return drafts + alerts", "                    return drafts", "PostgresStoreTests/aRollbackDuringAnOutage"),
    ("shared: PGSSLMODE is not ignored", "Sources/GoLivePostgres/PostgresAddress.swift",
     '?? environment["PGSSLMODE"].flatMap', '?? Optional<String>.none.flatMap', "PostgresAddressTests|PostgresStoreTests/tlsIsUsed"),
    ("shared: a password file others may read is not used", "Sources/GoLivePostgres/PostgresAddress.swift",
     "info.st_mode & 0o077 == 0 else { return nil }", "true else { return nil }", "PostgresAddressTests"),
    ("shared: the password file is read", "Sources/GoLivePostgres/PostgresAddress.swift",
     "password = PostgresAddress.passwordFile(host: host, port: port, database: database, user: user, environment: environment)", "_ = 0", "PostgresAddressTests"),
    ("shared: application_name stays printable", "Sources/GoLivePostgres/PostgresAddress.swift",
     "$0.asciiValue.map { (0x20..<0x7f).contains($0) } ?? false", "$0.asciiValue != nil", "PostgresAddressTests"),
    ("keys: a hook's outcome is recorded when the key does not sign", "Sources/GoLiveCore/Commands/Cockpit.swift",
     '(after, more) = try recordOutcome(.failure(Refusal("the key did not sign: \\(failure.reason)")))', "throw failure",
     "TouchTests/aRollbackWhoseOutcome"),
    ("keys: an agent that went away is no SIGPIPE", "Sources/GoLiveCore/Support/SystemCall.swift",
     "raw.count - sent, Int32(MSG_NOSIGNAL))", "raw.count - sent, 0)", "SSHSignatureTests/writingToAnAgentThatWentAway"),
    ("rules: the app stamps each key", "Sources/GoLiveUI/App/CockpitLoop.swift",
     "return send(.key(k, at: Date()))", "return send(.key(k))", "CockpitTmuxTests/anIdleCockpitCountsAWaiverFromTheKeyPress"),
    ("rules: ':waive' counts from the screen's clock", "Sources/GoLiveUI/Update/Reducer+CommandLine.swift",
     "let when = try Timestamp.parseUserTime(words[2], now: s.now)", "let when = try Timestamp.parseUserTime(words[2], now: s.dashboard.loadedAt)", "OneClockTests"),
    # Issue 30: a write touches what it changes.
    ("flat: each change updates the item's revision", "Sources/GoLiveCore/State/RolloutState.swift",
     "itemRevisions[id] = seq", "_ = seq", "AWriteTouchesWhatItChangesTests|GateTests/signOffGoesStaleWhenTheContourChanges"),
    ("flat: a contour's digest moves with its newest change", "Sources/GoLiveCore/Readiness/Readiness.swift",
     'var text = "2|\\(contour.rawValue)|\\(config.definitions.definitionsDigest(contour))|\\(newest)"',
     'var text = "2|\\(contour.rawValue)|\\(config.definitions.definitionsDigest(contour))|"',
     "AWriteTouchesWhatItChangesTests|GateTests/signOffGoesStaleWhenTheContourChanges"),
    ("flat: alerts judge the gate only when one needs it", "Sources/GoLiveCore/Canary/AlertDetector.swift",
     "lazy var now = Gate.evaluate(after)", "let now = Gate.evaluate(after)", "AWriteTouchesWhatItChangesTests"),
    ("flat: a contour's definitions digest covers its definitions", "Sources/GoLiveCore/Config/ItemCatalog.swift",
     'text += "|\\(item.id):\\(item.severity.rawValue):\\(item.owner):\\(item.title)"', 'text += "|\\(item.id)"',
     "AConfigEditStalesTheSignOffTests"),
    # Issue 28: the loop answers keys while long work runs off it.
    ("house: long effects run off the key loop", "Sources/GoLiveUI/App/EffectJob.swift",
     "        Thread.detachNewThread { [done] in\n            let finished = work()\n            done.withLock { $0 = finished }\n        }",
     "        let finished = work()\n        done.withLock { $0 = finished }",
     "EffectRuntimeTmuxTests"),
    ("house: a probe's missing working directory is named", "Sources/GoLiveCore/Probes/ProbeRunner.swift",
     "guard FileManager.default.fileExists(atPath: workdir.path, isDirectory: &isFolder), isFolder.boolValue else {",
     "guard true else {", "ProbeRunnerTests/aProbeRunsInItsWorkingDirectory"),
    ("house: a write knows whether it folded in place", "Sources/GoLiveCore/Journal/Store+Write.swift",
     "let alone = state.items.isUniquelyHeld", "let alone = true", "CopyOnWriteContractTests/aDecideThatKeepsTheStateIsSeen"),
    ("house: the alerts keep items of their own", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "state: judged ? state.withOwnItems : state.withoutItems", "state: judged ? state : state.withoutItems",
     "CopyOnWriteContractTests/aCommandsWriteFoldsInPlaceAndOnALiveCanaryToo"),
    ("house: a copy of its own shares nothing", "Sources/GoLiveCore/State/ItemStates.swift",
     "if !isKnownUniquelyReferenced(&holder) { holder = Holder() }", "_ = 0",
     "CopyOnWriteContractTests/itemsKeptOnPurposeAreACopyOfTheirOwn|CopyOnWriteContractTests/aDecideThatKeepsTheStateIsSeen"),
    ("house: a stale confirmation is refused with its code", "Sources/GoLiveCore/Commands/Cockpit.swift",
     "Decision.refuse(Refusal($0, code: .changedSinceYouLooked))", "Decision.refuse(Refusal($0))",
     "NoSilentOverwriteTests|ConsequencesTests/anApprovalShownOnOneStateIsRefusedOnAnother"),
    ("house: the cockpit asks again by the refusal's code", "Sources/GoLiveUI/Update/Reducer.swift",
     "if failure?.code == .changedSinceYouLooked, s.reask != nil {", "if failure != nil, s.reask != nil {",
     "AskAgainTests/aConfirmationIsAskedAgainByTheRefusalsCodeNotItsWords"),
    ("house: the layer test reads interpolations", "Tests/GoLiveCoreTests/LayerRuleTests.swift",
     'kept += " " + code(of: inner) + " "', "_ = inner", "LayerRuleTests/theCheckerCatchesAJournalFileUsingACommand"),
    ("house: the layer test sees methods added from above", "Tests/GoLiveCoreTests/LayerRuleTests.swift",
     "out[member] = file.layer", "_ = member", "LayerRuleTests/theCheckerCatchesAMethodAddedByExtensionFromAbove"),
    ("house: an unknown outcome carries its remedy as data", "Sources/GoLiveCore/Canary/CanaryEngine.swift",
     'is unknown (its hook did not finish); reconcile it first", remedies: [.reconcileTheCanary])', 'is unknown (its hook did not finish); reconcile it first", remedies: [])',
     "CockpitWordingTests/anUnknownOutcomeIsReconciledWithTheCanaryPanelsKey"),
    ("house: the cockpit words a refusal's remedies", "Sources/GoLiveUI/Update/Failure.swift",
     "self.init(CockpitWording.describe(error), code:", "self.init(ErrorReport.describe(error), code:",
     "CockpitWordingTests/aMissingReasonIsARemedyTheCockpitWordsAsItsField"),
    ("house: the CLI words a refusal's remedies", "Sources/golive/CommandDispatch.swift",
     "report.commandLineText(wording: CommandLineWording.words)", "report.commandLineText(wording: { _ in \"\" })",
     "CanaryCLITests/refusalsAreExitOneWithTheCoresReasonAndBadInputIsExitTwo"),
    ("house: an error's text joins its remedies", "Sources/GoLiveCore/Commands/ErrorReport.swift",
     "([message] + remedies.map { SafeText.sanitize(wording($0)) })", "([message])",
     "CockpitWordingTests/aMissingReasonIsARemedyTheCockpitWordsAsItsField|CanaryCLITests/refusalsAreExitOneWithTheCoresReasonAndBadInputIsExitTwo"),
    ("house: no refusal of the core names a CLI flag", "Sources/GoLiveCore/Commands/Cockpit.swift",
     'throw InputError("a waiver needs a reason", remedies:', 'throw InputError("a waiver needs a reason: --reason", remedies:',
     "CockpitWordingTests/theCoresRefusalsNameNoFlag"),
    ("house: an idle cockpit is sent the clock when time changes a standing", "Sources/GoLiveUI/Model/Dashboard.swift",
     "return nextTimeChange.map { now >= $0 } ?? false", "return false", "OneClockTests/anIdleCockpitIsSentTheClockWhenAWaiverExpires"),
    # Issue 30: the adoption in force found from a hint, and judged on another core.
    ("snapshot: a remembered position starts a line", "Sources/GoLiveCore/Journal/Store+Records.swift",
     "known < index.size, try index.startsLine(at: known),", "known < index.size,", "JournalIndexTests/aRememberedPositionInsideALineIsNotBelieved"),
    ("snapshot: a remembered position holds its seq", "Sources/GoLiveCore/Journal/Store+Records.swift",
     "let there = try index.line(at: known), JournalIndex.seq(atStartOf: there[...]) == seq {", "let there = try index.line(at: known) {",
     "AdoptionHintTests/aWrongAdoptionHintCostsTheBisectionAndNothingElse"),
    ("snapshot: a hint that does not read is no hint", "Sources/GoLiveCore/Journal/Store+Snapshot.swift",
     "hintAdoption = try? c.decodeIfPresent([Int].self, forKey: .hintAdoption)", "hintAdoption = try c.decodeIfPresent([Int].self, forKey: .hintAdoption)",
     "AdoptionHintTests/aWrongAdoptionHintCostsTheBisectionAndNothingElse"),
    ("files: a failed write names the file asked for", "Sources/GoLiveCore/Support/DurableFile.swift",
     'throw SystemCallError(action: "cannot write \\(url.path)", code: error.code)', "throw error", "DurableFileTests"),
    ("snapshot: the adoption judged aside is the state's", "Sources/GoLiveCore/Journal/Store+Commitment.swift",
     "judged.flatMap { $0.adopted == adopted ? $0 : nil }", "judged", "AdoptionHintTests/anAdoptionJudgedForAnotherStateIsNotUsed"),
]


def touch_importers(work, header):
    # SwiftPM does not rebuild a Swift module when a C shim's header changes: its importers are
    # touched so that a mutant there (and the restored header after it) is compiled in.
    module = os.path.basename(os.path.dirname(header))
    for folder, _, files in os.walk(os.path.join(work, "Sources")):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".swift") and f"import {module}" in open(path).read():
                os.utime(path)


def run(cmd, cwd, log):
    with open(log, "ab") as out:
        return subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode


def tests_of_suite(work, suite):
    """The @Test functions of `struct suite` in Tests/: those after its declaration and before the
    next top-level type. Empty for a name that is not a suite (a test's name, a prefix)."""
    found = []
    for folder, _, files in os.walk(os.path.join(work, "Tests")):
        for name in files:
            if not name.endswith(".swift"):
                continue
            inside = False
            for line in open(os.path.join(folder, name), encoding="utf-8"):
                top = re.match(r"^(?:@Suite[^\n]*?\s)?(?:final\s+)?(?:struct|class|enum|extension)\s+(\w+)", line)
                if top:
                    inside = top.group(1) == suite
                elif inside:
                    test = re.search(r"@Test(?:\([^)]*\))?\s+func\s+(\w+)", line)
                    if test:
                        found.append(test.group(1))
    return found


def named_test_failed(cmd, cwd, log, tests):
    """Killed only when a test the entry names fails: any other failure (a flaky test nearby, a
    build step, a timeout in setup) says nothing about the guard. A crash of the test process
    while it runs them counts: the guard's absence took it down."""
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with open(log, "ab") as out:
        out.write(result.stdout)
    if result.returncode == 0:
        return False
    text = result.stdout.decode(errors="replace")
    # "Suite/test" filters name the test by its last part, as the failure line does. A suite named
    # alone stands for its tests too: a test process that crashes never prints the suite's line.
    names = [n.strip("^$()").split("/")[-1] for n in tests.split("|") if n.strip("^$()")]
    names += [t for n in names for t in tests_of_suite(cwd, n)]
    failing = [line for line in text.splitlines() if line.startswith("\u2718 ")]
    if any(any(n in line for n in names) for line in failing):
        return True
    # swift test says "exited with unexpected signal code N" above the backtrace, not at its end.
    crashed = result.returncode < 0 or any(sign in text for sign in ("unexpected signal code", "Program crashed", "Fatal error"))
    return crashed and not failing


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", default="/tmp/golive-mutants")
    parser.add_argument("--check-entries", action="store_true",
                        help="only check that every guard is written once in its file (no build, no tests)")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    if args.check_entries:
        # Guards move when code is split or reworded: an entry whose text is gone checks nothing.
        lost = [f"{name}: {path} holds its guard {open(os.path.join(ROOT, path)).read().count(guard) if os.path.exists(os.path.join(ROOT, path)) else 'no'} times, not once"
                for name, path, guard, _, _ in MUTANTS
                if not os.path.exists(os.path.join(ROOT, path)) or open(os.path.join(ROOT, path)).read().count(guard) != 1]
        print("\n".join(lost) if lost else f"all {len(MUTANTS)} guards found, each once")
        sys.exit(1 if lost else 0)
    work = args.workdir
    if not os.path.exists(work):
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", work, "HEAD"], check=True)
    # A run stopped mid-mutant leaves its mutant in the copy: restored before moving to HEAD.
    subprocess.run(["git", "-C", work, "checkout", "--", "."], check=True)
    subprocess.run(["git", "-C", work, "checkout", "--detach", subprocess.check_output(["git", "-C", ROOT, "rev-parse", "HEAD"]).decode().strip()], check=True)
    log = os.path.join(work, "mutation-check.log")
    open(log, "w").close()
    swift = ["swift"]
    if run(swift + ["build", "--build-tests", "--enable-all-traits"], work, log) != 0:
        sys.exit(f"the unmutated tree does not build; see {log}")
    # A mutant is only "killed" if the same tests pass without it.
    chosen = [m for m in MUTANTS if not args.names or any(n in m[0] for n in args.names)]
    filters = sorted({tests for _, _, _, _, tests in chosen})
    if run(swift + ["test", "--skip-build", "--enable-all-traits", "--filter", "|".join(filters)], work, log) != 0:
        sys.exit(f"the tests fail on the unmutated tree, so no mutant can be judged; see {log}")
    rows, survived = [], 0
    for name, path, guard, mutant, tests in MUTANTS:
        if args.names and not any(n in name for n in args.names):
            continue
        file = os.path.join(work, path)
        original = open(file).read()
        if original.count(guard) != 1:
            rows.append((name, f"GUARD NOT FOUND ({original.count(guard)} matches)", ""))
            survived += 1
            continue
        open(file, "w").write(original.replace(guard, mutant))
        if path.endswith(".h"):
            touch_importers(work, path)
        start = time.time()
        try:
            if run(swift + ["build", "--build-tests", "--enable-all-traits"], work, log) != 0:
                # A mutant that does not compile tells nothing about the tests: it counts as not killed.
                rows.append((name, "DOES NOT COMPILE", ""))
                survived += 1
                print(f"{name:45} {rows[-1][1]:10}", flush=True)
                continue
            failed = named_test_failed(swift + ["test", "--skip-build", "--enable-all-traits", "--filter", tests], work, log, tests)
        finally:
            open(file, "w").write(original)
            if path.endswith(".h"):
                touch_importers(work, path)
        rows.append((name, "killed" if failed else "SURVIVED", f"{time.time() - start:.0f} s"))
        survived += 0 if failed else 1
        print(f"{name:45} {rows[-1][1]:10} {rows[-1][2]}", flush=True)
    print()
    print(f"{'guard removed':45} {'result':10} time")
    for row in rows:
        print(f"{row[0]:45} {row[1]:10} {row[2]}")
    print(f"\n{len(rows) - survived} killed, {survived} survived (log: {log})")
    sys.exit(1 if survived else 0)


if __name__ == "__main__":
    main()
