public enum GoLiveVersion {
    /// Recorded in every session, so an auditor knows which golive wrote what.
    public static let current = "0.2.0"
}
