using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.Tests.Engine;

namespace Sluice.Core.Tests.Plans;

public class PlanCalculatorTests
{
    public static TheoryData<string, int, string> Upgrades => new()
    {
        // batches, total, cumulative targets
        { "10%,40%,50%", 5, "1,3,5" },
        { "1,20%,50%,2", 10, "1,3,8,10" },
        { "1,2,2", 5, "1,3,5" },
        { "1,50%,50%", 5, "1,4,5" },
        { "50%", 7, "7" },
        { "33%,33%,34%", 10, "4,8,10" },
        { "0,100%", 3, "0,3" },
    };

    [Theory]
    [MemberData(nameof(Upgrades))]
    public void Calculate_Upgrade_GivesCumulativeTargets(string batches, int total, string targets)
    {
        var result = PlanCalculator.Calculate(Specs.Plan(batches.Split(',')), RolloutShape.Upgrade(total));

        result.IsValid.ShouldBeTrue(result.Error?.Message);
        string.Join(',', result.Plan.Batches.Select(b => b.Target)).ShouldBe(targets);
        result.Plan.Batches.Sum(b => b.Size).ShouldBe(total);
        result.Plan.Batches.Select(b => b.SourceLeft).ShouldBe(result.Plan.Batches.Select(b => (int?)(total - b.Target)));
    }

    public static TheoryData<string, int, int, string, string> Scales => new()
    {
        // batches, from, to, sizes moved, workload size after each batch
        { "10%,40%,50%", 0, 5, "1,2,2", "1,3,5" },
        { "1,20%,50%,2", 10, 0, "1,2,5,2", "9,7,2,0" },
        { "50%,50%", 4, 8, "2,2", "6,8" },
    };

    [Theory]
    [MemberData(nameof(Scales))]
    public void Calculate_Scale_GivesWorkloadSizes(string batches, int from, int to, string sizes, string targets)
    {
        var result = PlanCalculator.Calculate(Specs.Plan(batches.Split(',')), RolloutShape.Scale(from, to));

        result.IsValid.ShouldBeTrue(result.Error?.Message);
        string.Join(',', result.Plan.Batches.Select(b => b.Size)).ShouldBe(sizes);
        string.Join(',', result.Plan.Batches.Select(b => b.Target)).ShouldBe(targets);
        result.Plan.Batches.ShouldAllBe(b => b.SourceLeft == null);
    }

    public static TheoryData<string, int, string> Invalid => new()
    {
        { "1,2,1", 5, "spec.rolloutPlan.rolloutBatches[2].replicas: Invalid value: 1: the rollout plan batch size mismatch, total batch size = 4, totalReplicas size = 5 (upgrade of 5 pods)" },
        { "1,2,3", 5, "spec.rolloutPlan.rolloutBatches[2].replicas: Invalid value: 3: the rollout plan batch size mismatch, total batch size = 6, totalReplicas size = 5 (upgrade of 5 pods)" },
        { "3,2,50%", 5, "spec.rolloutPlan.rolloutBatches[1].replicas: Invalid value: 2: the batches up to this one move 5 of 5 pods, leaving none for the last batch (upgrade of 5 pods)" },
        { "60%,50%,1", 5, "spec.rolloutPlan.rolloutBatches[1].replicas: Invalid value: \"50%\": the batches up to this one move 6 of 5 pods, leaving none for the last batch (upgrade of 5 pods)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Calculate_InvalidSizes_SaysWhichTotals(string batches, int total, string message)
    {
        var result = PlanCalculator.Calculate(Specs.Plan(batches.Split(',')), RolloutShape.Upgrade(total));

        result.IsValid.ShouldBeFalse();
        result.Error.Message.ShouldBe(message);
    }

    [Fact]
    public void Calculate_OmittedLastReplicas_TakesTheRest()
    {
        var plan = new RolloutPlan { RolloutBatches = [new RolloutBatch { Replicas = IntOrPercent.FromInt(2) }, new RolloutBatch()] };

        var result = PlanCalculator.Calculate(plan, RolloutShape.Upgrade(5));

        result.Plan!.Batches.Select(b => b.Target).ShouldBe([2, 5]);
    }

    [Fact]
    public void Calculate_OmittedReplicasBeforeTheLast_NamesTheField()
    {
        var plan = new RolloutPlan { RolloutBatches = [new RolloutBatch(), new RolloutBatch { Replicas = IntOrPercent.FromInt(2) }] };

        var result = PlanCalculator.Calculate(plan, RolloutShape.Upgrade(5));

        result.Error!.Field.ShouldBe("spec.rolloutPlan.rolloutBatches[0].replicas");
        result.Error.Message.ShouldBe("spec.rolloutPlan.rolloutBatches[0].replicas: Required value: only the last batch may omit replicas");
    }

    [Theory]
    [InlineData(8, 5, "1,1,2,2,2")]
    [InlineData(9, 4, "2,2,2,3")]
    [InlineData(4, 5, "0,1,1,1,1")]
    public void Calculate_NumBatchesWithoutBatches_SplitsEvenlyRemainderLast(int pods, int numBatches, string sizes)
    {
        var result = PlanCalculator.Calculate(new RolloutPlan { NumBatches = numBatches }, RolloutShape.Upgrade(pods));

        string.Join(',', result.Plan!.Batches.Select(b => b.Size)).ShouldBe(sizes);
        result.Plan.Batches.Select(b => b.Replicas!.IsPercent).ShouldAllBe(p => !p);
    }

    [Theory]
    [InlineData(null, 0, "spec.rolloutPlan.rolloutBatches", "spec.rolloutPlan.rolloutBatches: Required value: the rollout plan needs at least one batch (give rolloutBatches or numBatches)")]
    [InlineData(0, null, "spec.rolloutPlan.numBatches", "spec.rolloutPlan.numBatches: Invalid value: 0: must be at least 1")]
    [InlineData(2, 3, "spec.rolloutPlan.numBatches", "spec.rolloutPlan.numBatches: Invalid value: 2: must equal the number of rolloutBatches (3)")]
    public void Calculate_BadBatchCounts_NameTheField(int? numBatches, int? batches, string field, string message)
    {
        var plan = new RolloutPlan
        {
            NumBatches = numBatches,
            RolloutBatches = batches is null ? null : Enumerable.Range(0, batches.Value).Select(_ => new RolloutBatch { Replicas = IntOrPercent.FromPercent(34) }).ToArray(),
        };

        var result = PlanCalculator.Calculate(plan, RolloutShape.Upgrade(9));

        result.Error!.Field.ShouldBe(field);
        result.Error.Message.ShouldBe(message);
    }

    [Fact]
    public void Calculate_NegativePartition_NamesFieldAndValue()
    {
        var plan = Specs.Plan("1", "4") with { BatchPartition = -1 };

        PlanCalculator.Calculate(plan, RolloutShape.Upgrade(5)).Error!.Message
            .ShouldBe("spec.rolloutPlan.batchPartition: Invalid value: -1: must be greater than or equal to 0");
    }

    [Fact]
    public void Calculate_NegativeReplicas_NamesFieldAndValue()
    {
        var plan = new RolloutPlan { RolloutBatches = [new RolloutBatch { Replicas = IntOrPercent.FromInt(-1) }, new RolloutBatch()] };

        PlanCalculator.Calculate(plan, RolloutShape.Upgrade(5)).Error!.Message
            .ShouldBe("spec.rolloutPlan.rolloutBatches[0].replicas: Invalid value: -1: must not be negative");
    }

    [Fact]
    public void ParksAfter_PartitionOne_HoldsFourOfFive()
    {
        var plan = PlanCalculator.Calculate(Specs.Plan("1", "50%", "50%"), RolloutShape.Upgrade(5)).Plan!;

        plan.ParksAfter(1).Target.ShouldBe(4);
        plan.ParksAfter(7).Target.ShouldBe(5);
    }

    [Theory]
    [InlineData("50%", 3, 2)]
    [InlineData("1", 3, 1)]
    [InlineData(null, 3, 0)]
    public void AllowedUnavailable_ResolvesAgainstTheBatchTarget(string? maxUnavailable, int target, int allowed)
    {
        var batch = new PlannedBatch(0, null, target, target, 0, maxUnavailable is null ? null : Specs.Parse(maxUnavailable));

        batch.AllowedUnavailable.ShouldBe(allowed);
    }
}
