using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sluice.Core.Analysis.Judge;

namespace Sluice.Core.Tests.Analysis.Judge;

public class MannWhitneyProperties
{
    private static Arbitrary<double[]> Samples() =>
        Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(i => i / 10.0)).Where(a => a.Length is >= 5 and <= 40).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Estimate_IntervalContainsTheShift() =>
        Prop.ForAll(Samples(), Samples(), (target, source) =>
        {
            var estimate = MannWhitney.Estimate(target, source, 0.9);
            return estimate is null || (estimate.Lower <= estimate.Shift && estimate.Shift <= estimate.Upper);
        });

    [Property(MaxTest = 200)]
    public Property Estimate_SwappingSidesNegatesTheShift() =>
        Prop.ForAll(Samples(), Samples(), (target, source) =>
        {
            var forward = MannWhitney.Estimate(target, source, 0.9);
            var backward = MannWhitney.Estimate(source, target, 0.9);
            return forward is null || (Math.Abs(forward.Shift + backward!.Shift) < 1e-9 && Math.Abs(forward.Lower + backward.Upper) < 1e-9);
        });

    [Property(MaxTest = 200)]
    public Property Estimate_HigherConfidenceIsWider() =>
        Prop.ForAll(Samples(), Samples(), (target, source) =>
        {
            var narrow = MannWhitney.Estimate(target, source, 0.8);
            var wide = MannWhitney.Estimate(target, source, 0.99);
            return narrow is null || wide is null || (wide.Lower <= narrow.Lower && wide.Upper >= narrow.Upper);
        });
}
