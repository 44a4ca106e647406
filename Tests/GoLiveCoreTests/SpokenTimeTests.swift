import Foundation
import Testing
@testable import GoLiveCore

@Suite struct SpokenTimeTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test func daysAndTimesAreReadInTheOperatorsZone() throws {
        let friday = Timestamp.parse("2026-12-04T10:00:00Z")!   // Friday 11:00 in Berlin
        func parse(_ text: String) throws -> String { Timestamp.format(try SpokenTime.parse(text, now: friday, zone: Self.berlin)) }
        #expect(try parse("friday 18:00") == "2026-12-04T17:00:00.000Z", "later today")
        #expect(try parse("next friday 18:00") == "2026-12-11T17:00:00.000Z", "next never means today")
        #expect(try parse("friday 09:00") == "2026-12-11T08:00:00.000Z", "09:00 today has passed")
        #expect(try parse("tomorrow 09:00") == "2026-12-05T08:00:00.000Z")
        #expect(try parse("mon") == "2026-12-06T23:00:00.000Z")
        #expect(try parse("2026-12-24 18:00") == "2026-12-24T17:00:00.000Z")
        #expect(try parse("3d") == "2026-12-07T10:00:00.000Z")
        // Across the spring change: 18:00 on Friday 3 Apr 2026 is CEST (UTC+2).
        #expect(Timestamp.format(try SpokenTime.parse("next friday 18:00", now: Timestamp.parse("2026-03-28T10:00:00Z")!, zone: Self.berlin))
                == "2026-04-03T16:00:00.000Z")
        #expect(throws: InputError.self) { try SpokenTime.parse("next fryday 18:00", now: friday, zone: Self.berlin) }
        #expect(throws: InputError.self) { try SpokenTime.parse("friday 25:00", now: friday, zone: Self.berlin) }
    }

    /// Issue 25, finding 11: `what-if --at 2026-12-31T18:00:00Z` was refused as a bad time of day.
    @Test func anExactTimestampIsTakenAsItIs() throws {
        let now = Timestamp.parse("2026-12-04T10:00:00Z")!
        #expect(try SpokenTime.parse("2026-12-31T18:00:00Z", now: now, zone: Self.berlin) == Timestamp.parse("2026-12-31T18:00:00Z")!)
        #expect(try SpokenTime.parse("18:00", now: now, zone: Self.berlin) == Timestamp.parse("2026-12-04T17:00:00Z")!)
    }
}
