using FsCheck;
using FsCheck.Fluent;
using Sluice.Simulator.Traffic;

namespace Sluice.Simulator.Tests.Traffic;

public sealed class SplitterTests
{
    [Fact]
    public void Split_NinetyTenInBatchesOfSeven_GivesExactlyNinetyAndTenAfterAHundred()
    {
        var splitter = new Splitter();
        var totals = new long[2];
        for (var sent = 0; sent < 100;)
        {
            var batch = Math.Min(7, 100 - sent);
            var parts = splitter.Split("k", batch, [90, 10]);
            totals[0] += parts[0];
            totals[1] += parts[1];
            sent += batch;
        }

        totals.ShouldBe([90, 10]);
    }

    [Fact]
    public void Split_WeightsChange_StartsAfresh()
    {
        var splitter = new Splitter();
        splitter.Split("k", 1, [50, 50]).ShouldBe([1, 0]);

        splitter.Split("k", 4, [0, 100]).ShouldBe([0, 4]);
    }

    [Fact]
    public void Share_ZeroAndHundredPercent_AreNoneAndAll()
    {
        var splitter = new Splitter();

        splitter.Share("a", 17, 0).ShouldBe(0);
        splitter.Share("b", 17, 100).ShouldBe(17);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Split_AnyWeightsAndBatches_StaysWithinTwoRequestsOfTheExactShare() =>
        Prop.ForAll(
            (from weights in Gen.ListOf(Gen.Choose(0, 1000), Gen.Choose(1, 6).Sample(1)[0]).Where(w => w.Sum() > 0)
             from batches in Gen.ListOf(Gen.Choose(0, 50))
             select (weights, batches)).ToArbitrary(),
            c =>
            {
                var splitter = new Splitter();
                var weights = c.weights.Select(w => (long)w).ToArray();
                var totals = new long[weights.Length];
                long sent = 0;
                foreach (var batch in c.batches)
                {
                    var parts = splitter.Split("k", batch, weights);
                    if (parts.Sum() != batch || parts.Any(p => p < 0))
                    {
                        return false;
                    }

                    for (var i = 0; i < parts.Length; i++)
                    {
                        totals[i] += parts[i];
                    }

                    sent += batch;
                    var total = weights.Sum();
                    if (totals.Select((t, i) => Math.Abs(t - (double)sent * weights[i] / total)).Any(d => d >= 2))
                    {
                        return false;
                    }
                }

                return true;
            });
}
