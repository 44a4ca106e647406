import Foundation
import Testing
import GoLiveCore

/// What every golive process pays before it does any work (issue 30): the libraries it loads and
/// the symbols the dynamic loader must go through.
@Suite struct ProcessStartTests {
    @Test func goliveUsesNoXMLLibraryAndExportsFewSymbols() throws {
        // Foundation's XMLParser brought libxml2, ICU, liblzma and zlib into the release binary:
        // about a millisecond of every command's start. The JUnit reader has its own scanner now.
        // (A debug build names Foundation's XML library anyway, so what it uses from it is asked.)
        let used = try ChildProcess.run(["nm", "-D", "--undefined-only", CLI.binary], .init(stdout: .capture(limit: 64 << 20))).stdout.text
        #expect(!used.isEmpty)
        #expect(!used.contains("FoundationXML") && !used.contains("xmlSAX"), "golive uses the XML library: \(used.split(separator: "\n").filter { $0.contains("XML") || $0.contains("xml") }.prefix(5))")
        let needed = try ChildProcess.run(["ldd", CLI.binary], .init(stdout: .capture(limit: 1 << 20))).stdout.text
        if !needed.contains("libswiftCore") {
            #expect(!needed.contains("libxml2") && !needed.contains("libicu"), "the release binary loads: \(needed)")
        }
        // The static Swift libraries export every symbol of the program by default; the loader's
        // dladdr, which the Swift runtime calls at each start, searched them all (36,000). Only the
        // static release build shows it (GOLIVE_BIN=.build/release/golive); a debug build exports none.
        let symbols = try ChildProcess.run(["readelf", "--dyn-syms", "-W", CLI.binary], .init(stdout: .capture(limit: 64 << 20))).stdout.text
        let count = symbols.split(separator: "\n").count
        #expect(count < 5_000, "golive exports \(count) dynamic symbols")
    }
}
