import Foundation
import GoLiveCore
import Yams

/// A palette plus role → style. `monochrome` uses attributes only, for NO_COLOR and dumb terminals.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [Role: RoleStyle]
    public var usesColor: Bool

    public func style(_ role: Role) -> RoleStyle { styles[role] ?? styles[.normal] ?? RoleStyle() }

    public static let monochrome: Theme = {
        var s: [Role: RoleStyle] = [:]
        func a(_ role: Role, _ attrs: ThemeAttributes) { s[role] = RoleStyle(attrs: attrs) }
        a(.normal, []); a(.dim, [.dim]); a(.border, []); a(.title, [.bold]); a(.header, [.reverse])
        a(.headerReady, [.reverse, .bold]); a(.headerBlocked, [.reverse, .bold, .underline]); a(.paneFocus, [.bold, .underline])
        a(.selected, [.reverse]); a(.ok, []); a(.warn, [.bold]); a(.bad, [.bold, .underline]); a(.info, [])
        a(.accent, [.bold]); a(.footerKey, [.reverse]); a(.footerText, []); a(.message, [.bold]); a(.error, [.bold, .reverse])
        a(.dialog, []); a(.dialogTitle, [.bold, .reverse]); a(.input, [.underline]); a(.banner, [.reverse, .bold])
        return Theme(name: "monochrome", styles: s, usesColor: false)
    }()
}

extension Screen {
    /// The styles of the frame under a theme, one letter per distinct style, with a legend: lets a
    /// snapshot show what the eye would see without a terminal.
    public func styleMap(_ theme: Theme) -> String {
        var letters: [RoleStyle: Character] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var rows: [String] = []
        for y in 0..<height {
            var row = ""
            for x in 0..<width {
                let s = theme.style(self[x, y].role)
                if letters[s] == nil { letters[s] = alphabet[min(letters.count, alphabet.count - 1)] }
                row.append(letters[s]!)
            }
            rows.append(row)
        }
        func describe(_ c: ThemeColor) -> String { if case let .index(n) = c { return String(n) }; return "default" }
        let legend = letters.sorted { $0.value < $1.value }.map { style, letter in
            let attrs = ThemeAttributes.names.filter { style.attrs.contains($0.1) }.map(\.0).joined(separator: "+")
            return "\(letter): fg \(describe(style.fg)) bg \(describe(style.bg))\(attrs.isEmpty ? "" : " " + attrs)"
        }
        return rows.joined(separator: "\n") + "\n--\n" + legend.joined(separator: "\n")
    }
}
