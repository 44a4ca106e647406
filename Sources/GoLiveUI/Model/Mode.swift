import Foundation
import GoLiveCore

public enum Mode: Equatable, Sendable { case checklist, blockers, detail, gate, timeline, canary }
