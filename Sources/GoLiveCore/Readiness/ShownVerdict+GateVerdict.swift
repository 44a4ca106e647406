import Foundation

/// The journal records the gist of a verdict; the verdict itself belongs to this layer, so the
/// conversion lives here and Journal/ knows nothing of gates.
extension ShownVerdict {
    public init(_ v: GateVerdict, surface: String) {
        self.init(ready: v.ready, unmet: v.unmet.map(\.name), blocks: v.blocks.map(\.name), signoffsMissing: v.signoffsMissing.count,
                  policySha256: v.policySha256, stateSha256: v.stateSha256, surface: surface)
    }
}
