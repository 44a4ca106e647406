import Testing
@testable import GoLiveCore

/// An unknown name gets the nearest known ones, or a list short enough to read.
@Suite struct SuggestTests {
    @Test func aNearNameIsSuggestedAndAFarOneGetsAShortList() {
        let few = ["runtime.happy_path", "runtime.tool_hops_bounded", "safety.no_gateway_bypass"]
        #expect(Suggest.didYouMean("runtime.happy_pth", in: few) == "did you mean 'runtime.happy_path'?")
        #expect(Suggest.didYouMean("zzz", in: few) == "expected one of: runtime.happy_path, runtime.tool_hops_bounded, safety.no_gateway_bypass")
        let many = (0..<2000).map { "eval_slo.extra_\($0)" }
        let listed = Suggest.didYouMean("qqqq", in: many)
        #expect(listed.hasPrefix("expected one of 2000 names: eval_slo.extra_0, eval_slo.extra_1, "))
        #expect(listed.hasSuffix(", … and 1988 more"))
        #expect(listed.count < 300, "\(listed.count) characters")
    }
}
