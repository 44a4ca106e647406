import GoLiveCore

extension Role {
    /// A core line's tone in the skin's roles.
    init(_ tone: Tone) {
        switch tone {
        case .normal: self = .normal
        case .heading: self = .title
        case .good: self = .ok
        case .attention: self = .warn
        case .bad: self = .bad
        }
    }
}
