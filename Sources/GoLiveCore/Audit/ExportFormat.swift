import Foundation

public enum ExportFormat: String, CaseIterable, Sendable { case jsonl, md, csv }
