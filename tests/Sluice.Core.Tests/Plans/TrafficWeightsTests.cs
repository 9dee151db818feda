using FsCheck;
using FsCheck.Fluent;
using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Plans;

public class TrafficWeightsTests
{
    [Theory]
    [InlineData(5, new[] { "1", "2", "2" }, new string?[] { null, null, null }, new[] { 20, 60, 100 })]
    [InlineData(3, new[] { "1", "1", "1" }, new string?[] { null, null, null }, new[] { 33, 66, 100 })]
    [InlineData(10, new[] { "1", "4", "5" }, new string?[] { "5%", null, null }, new[] { 5, 50, 100 })]
    [InlineData(5, new[] { "1", "2", "2" }, new string?[] { "10%", "50%", null }, new[] { 10, 50, 100 })]
    [InlineData(5, new[] { "1", "2", "2" }, new string?[] { "0%", "0%", "100%" }, new[] { 0, 0, 100 })]
    [InlineData(4, new[] { "0", "4" }, new string?[] { null, null }, new[] { 0, 100 })]
    public void Resolve_Upgrade_GivesExplicitElseThePodShareAndLastIs100(int pods, string[] replicas, string?[] traffic, int[] expected)
    {
        var plan = Plan(replicas, traffic);

        var result = TrafficWeights.Resolve(plan, Batches(plan, RolloutShape.Upgrade(pods)));

        result.IsValid.ShouldBeTrue(result.Error?.Message);
        result.Steps.Select(s => s.Weight).ShouldBe(expected);
        result.Steps.Select(s => s.WeightGiven).ShouldBe(traffic.Select(t => t is not null));
    }

    [Fact]
    public void Resolve_DefaultedWeightBelowAnExplicitOne_NamesTheBatchAndItsShare()
    {
        var plan = Plan(["5", "1", "4"], ["70%", null, null]);

        var result = TrafficWeights.Resolve(plan, Batches(plan, RolloutShape.Upgrade(10)));

        result.IsValid.ShouldBeFalse();
        result.Error.Field.ShouldBe("spec.rolloutPlan.rolloutBatches[1].traffic");
        result.Error.Message.ShouldBe("spec.rolloutPlan.rolloutBatches[1].traffic: Invalid value: absent, so the batch's share of upgraded pods (60%), is below the previous batch's 70% (rolloutBatches[0]): weights never go down");
    }

    [Fact]
    public void Resolve_MatchesMirrorAndPause_AreCarriedToTheStep()
    {
        var plan = new RolloutPlan
        {
            RolloutBatches =
            [
                new RolloutBatch
                {
                    Replicas = IntOrPercent.FromInt(1), Traffic = "0%", Mirror = "20%", Pause = new RolloutPause(),
                    Matches = [new TrafficMatch { Cookie = new CookieMatch { Name = "beta", Value = "always" } }],
                },
                new RolloutBatch { Pause = new RolloutPause { Duration = "90s" } },
            ],
        };

        var steps = TrafficWeights.Resolve(plan, Batches(plan, RolloutShape.Upgrade(2))).Steps!;

        steps[0].ShouldBe(steps[0] with { Weight = 0, Mirror = 20, PauseFor = null, PauseUntilPromoted = true });
        steps[0].Matches.ShouldHaveSingleItem().Cookie!.Name.ShouldBe("beta");
        steps[1].ShouldBe(steps[1] with { Weight = 100, Mirror = 0, PauseFor = TimeSpan.FromSeconds(90), PauseUntilPromoted = false });
        steps[1].Matches.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(5, 1, 20)]
    [InlineData(3, 1, 33)]
    [InlineData(3, 2, 66)]
    [InlineData(4, 0, 0)]
    [InlineData(4, 4, 100)]
    public void PodShare_Upgrade_IsTheUpgradedShareRoundedDown(int pods, int target, int share) =>
        TrafficWeights.PodShare(RolloutShape.Upgrade(pods), new PlannedBatch(0, null, target, target, pods - target, null)).ShouldBe(share);

    [Fact]
    public void PodShare_Scale_IsAll() =>
        TrafficWeights.PodShare(RolloutShape.Scale(0, 5), new PlannedBatch(0, null, 1, 1, null, null)).ShouldBe(100);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Resolve_AnyPlanWithoutExplicitWeights_NeverGoesDownNorAheadOfThePodsAndEndsAt100() =>
        Prop.ForAll((from pods in Gen.Choose(1, 60) from count in Gen.Choose(1, 6) select (pods, count)).ToArbitrary(), c =>
        {
            var plan = new RolloutPlan { NumBatches = c.count };
            var batches = PlanCalculator.Calculate(plan, RolloutShape.Upgrade(c.pods)).Plan!;
            var weights = TrafficWeights.Resolve(plan, batches).Steps!.Select(s => s.Weight).ToList();
            return weights.Zip(weights.Skip(1)).All(p => p.First <= p.Second) && weights[^1] == 100
                && weights.Zip(batches.Batches).All(p => p.First * c.pods <= p.Second.Target * 100);
        });

    private static RolloutPlan Plan(string[] replicas, string?[] traffic) => new()
    {
        RolloutBatches = replicas.Select((r, i) => new RolloutBatch
        {
            Replicas = IntOrPercent.TryParse(r, out var parsed) ? parsed : null,
            Traffic = traffic[i],
        }).ToArray(),
    };

    private static BatchPlan Batches(RolloutPlan plan, RolloutShape shape)
    {
        var result = PlanCalculator.Calculate(plan, shape);
        result.IsValid.ShouldBeTrue(result.Error?.Message);
        return result.Plan;
    }
}
