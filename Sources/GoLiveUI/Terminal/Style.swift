/// What a cell means, not how it looks: a theme maps each role to colours and attributes.
public enum Role: String, CaseIterable, Sendable, Hashable {
    case normal, dim, border, title, header, headerReady, headerBlocked
    case paneFocus, selected, ok, warn, bad, info, accent
    case footerKey, footerText, message, error, dialog, dialogTitle, input, banner
}
