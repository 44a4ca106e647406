import Foundation

public enum SampleData {
    /// The sample rollout that `golive demo` and `golive init --from` start from.
    public static func locate() throws -> URL {
        try BundledFolder.locate("sample-data", marker: "rollout.yaml")
    }
}
