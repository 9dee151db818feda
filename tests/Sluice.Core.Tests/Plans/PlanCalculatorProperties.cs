using FsCheck;
using FsCheck.Fluent;
using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Plans;

public class PlanCalculatorProperties
{
    private static Gen<IntOrPercent> Replicas =>
        Gen.OneOf(Gen.Choose(0, 12).Select(IntOrPercent.FromInt), Gen.Choose(0, 100).Select(IntOrPercent.FromPercent));

    private static Arbitrary<(RolloutPlan Plan, int From, int To)> Cases =>
        (from count in Gen.Choose(1, 6)
         from batches in Gen.ListOf(Replicas, count)
         from origin in Gen.Choose(0, 40)
         from to in Gen.Choose(0, 40)
         select (new RolloutPlan { RolloutBatches = batches.Select(r => new RolloutBatch { Replicas = r }).ToArray() }, origin, to))
        .ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Upgrade_TargetsNeverDecreaseAndEndAtTheSize() =>
        Prop.ForAll(Cases, c =>
        {
            var result = PlanCalculator.Calculate(c.Plan, RolloutShape.Upgrade(c.To));
            if (!result.IsValid)
            {
                return true;
            }

            var targets = result.Plan.Batches.Select(b => b.Target).ToArray();
            return targets.Zip(targets.Skip(1)).All(p => p.First <= p.Second) && targets[^1] == c.To;
        });

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Scale_TargetsMoveOneWayBetweenOriginalAndTarget() =>
        Prop.ForAll(Cases, c =>
        {
            var result = PlanCalculator.Calculate(c.Plan, RolloutShape.Scale(c.From, c.To));
            if (!result.IsValid)
            {
                return true;
            }

            var targets = result.Plan.Batches.Select(b => b.Target).ToArray();
            var (low, high) = (Math.Min(c.From, c.To), Math.Max(c.From, c.To));
            var oneWay = c.To >= c.From
                ? targets.Zip(targets.Skip(1)).All(p => p.First <= p.Second)
                : targets.Zip(targets.Skip(1)).All(p => p.First >= p.Second);
            return oneWay && targets.All(t => t >= low && t <= high) && targets[^1] == c.To;
        });

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property ValidPlans_LeaveAtLeastOnePodForTheLastBatch() =>
        Prop.ForAll(Cases, c =>
        {
            var result = PlanCalculator.Calculate(c.Plan, RolloutShape.Upgrade(c.To));
            if (!result.IsValid || c.To == 0)
            {
                return true;
            }

            return result.Plan.Batches[^1].Size >= 1 && result.Plan.Batches.Sum(b => b.Size) == c.To;
        });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Even_AddsUpAndGrowsByAtMostOne() =>
        Prop.ForAll(Gen.Choose(0, 500).ToArbitrary(), Gen.Choose(1, 20).ToArbitrary(), (pods, count) =>
        {
            var sizes = BatchSizes.Even(pods, count);
            return sizes.Sum() == pods && sizes.Count == count && sizes.Max() - sizes.Min() <= 1
                && sizes.Zip(sizes.Skip(1)).All(p => p.First <= p.Second);
        });
}
