import Foundation
import GoLiveCore

enum TextLayout {
    /// Word-wraps by terminal columns; long words are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in SafeText.sanitize(text, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ") {
                let w = Columns.width(String(word))
                if lineWidth > 0 && lineWidth + 1 + w > width {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                if lineWidth > 0 { line += " "; lineWidth += 1 }
                line += word
                lineWidth += w
            }
            lines.append(line)
        }
        return lines
    }

    static func statusRole(_ row: ItemRow) -> Role {
        switch row.standing {
        case .satisfied: return row.status == .waived ? .warn : .ok
        case .failed: return .bad
        case .open: return row.severity == .blocker ? .warn : .dim
        }
    }

    static func severityLabel(_ s: Severity) -> String {
        switch s {
        case .blocker: return "BLOCKER"
        case .required: return "required"
        case .advisory: return "advisory"
        }
    }
}
