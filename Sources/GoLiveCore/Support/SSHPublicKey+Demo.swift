import Foundation

extension SSHPublicKey {
    /// The sample's published demo keys (sample-data/demo-keys): anyone can sign with them, so
    /// a signature by one proves nothing. Known by their blobs, whatever comment a copy carries,
    /// and by the marker golive puts in their comments.
    static let publishedDemoBlobs: Set<String> = [
        "AAAAC3NzaC1lZDI1NTE5AAAAIEMzTB5cQnyaykWeYtuNF35rSRrCVopWR1noDj4DCk/5",
        "AAAAC3NzaC1lZDI1NTE5AAAAIMNoyiXT5oes2LrPO/pMoFqtG3rtcE4hcNfQJvPUnpOB",
        "AAAAC3NzaC1lZDI1NTE5AAAAIFI6Iz79W4zoz2gkOy/kjRWfN8h8kzREkLUbCjV7mR/e",
        "AAAAC3NzaC1lZDI1NTE5AAAAIP8pgrJtHidMR60fOtLHNjkmiSrzzXjUZQibPFcwyL58",
        "AAAAC3NzaC1lZDI1NTE5AAAAIF7+E7ToakDLDa7ssoD6n2QgJ8j+pVEt2zDZhtges68p",
    ]
    public static let demoMarker = "GOLIVE-DEMO-KEY"

    public var isPublishedDemoKey: Bool {
        comment.contains(Self.demoMarker) || Self.publishedDemoBlobs.contains(Data(blob).base64EncodedString())
    }
}
