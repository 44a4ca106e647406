/// Where a binding applies.
public enum Scope: String, Sendable { case everywhere, checklist, blockers, canary }
