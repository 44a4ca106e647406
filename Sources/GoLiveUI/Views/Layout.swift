/// Where each part of the screen goes for a terminal size.
public struct Layout: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case full, compact, tooSmall }
    public static let minWidth = 60, minHeight = 20
    public static let fullWidth = 120, fullHeight = 32

    public var kind: Kind
    public var header: Rect
    public var contours: Rect
    public var main: Rect
    public var canary: Rect
    public var message: Rect
    public var footer: Rect

    public init(width: Int, height: Int) {
        if width < Layout.minWidth || height < Layout.minHeight {
            kind = .tooSmall
        } else if width >= Layout.fullWidth && height >= Layout.fullHeight {
            kind = .full
        } else {
            kind = .compact
        }
        let paneHeight = kind == .full ? 5 : 1
        header = Rect(x: 0, y: 0, width: width, height: 1)
        contours = Rect(x: 0, y: 1, width: width, height: paneHeight)
        footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        message = Rect(x: 0, y: height - 2, width: width, height: 1)
        canary = Rect(x: 0, y: height - 3, width: width, height: 1)
        main = Rect(x: 0, y: 1 + paneHeight, width: width, height: height - 4 - paneHeight)
    }

    /// The list and detail columns of the main area. In a compact terminal the blockers list takes
    /// the whole width: owner and age matter more there than the detail, which ⏎ opens.
    public func split(blockers: Bool) -> (list: Rect, detail: Rect?) {
        if blockers && kind == .compact { return (main, nil) }
        let listWidth = kind == .full ? main.width * (blockers ? 13 : 11) / 20 : main.width / 2
        return (Rect(x: main.x, y: main.y, width: listWidth, height: main.height),
                Rect(x: main.x + listWidth, y: main.y, width: main.width - listWidth, height: main.height))
    }
}
