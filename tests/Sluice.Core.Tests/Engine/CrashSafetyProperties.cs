using FsCheck;
using FsCheck.Fluent;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Plans;
using static Sluice.Core.Tests.Engine.Specs;

namespace Sluice.Core.Tests.Engine;

/// <summary>
/// A controller that crashes at random: it applies only some of a decision's intents and never writes
/// the status, or the cluster settles only sometimes. The rollout must still end with exactly the planned
/// batch targets in order (none skipped or repeated) and never more upgraded pods th.
/// </summary>
public class CrashSafetyProperties
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Decide_WithRandomCrashes_NeverSkipsRepeatsOrOvershootsABatch() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue - 1)), Arb.From(Gen.Elements(WorkloadStyle.InPlace, WorkloadStyle.TwoObject)), (seed, style) =>
        {
            var (ok, label) = Run(seed, style);
            return ok.Label(label);
        });

    [Fact]
    public void Decide_WithRandomCrashes_FirstThousandSeeds()
    {
        foreach (var style in new[] { WorkloadStyle.InPlace, WorkloadStyle.TwoObject })
        {
            for (var seed = 0; seed < 1000; seed++)
            {
                var (ok, label) = Run(seed, style);
                ok.ShouldBeTrue($"seed {seed}, {style}: {label}");
            }
        }
    }

    private static (bool Ok, string Label) Run(int seed, WorkloadStyle style)
    {
        {
            var random = new Random(seed);
            var pods = random.Next(1, 12);
            var batches = random.Next(1, Math.Min(pods, 5) + 1);
            var sizes = BatchSizes.Even(pods, batches).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var strategy = random.Next(2) == 0 ? RolloutStrategy.IncreaseFirst : RolloutStrategy.DecreaseFirst;
            var spec = Rollout("v1", "v2", sizes).WithPlan(p => p with { RolloutStrategy = strategy });
            var planned = PlanCalculator.Calculate(spec.RolloutPlan!, RolloutShape.Upgrade(pods)).Plan!;
            var harness = new RolloutHarness(spec, new FakeWorkload(style, pods), Upgrade(pods));

            var furthest = 0;
            for (var i = 0; i < 400 && harness.State != RollingState.RolloutSucceed; i++)
            {
                var decision = harness.Engine.Decide(harness.Input());
                furthest = Math.Max(furthest, decision.Status.RollingState == RollingState.RollingInBatches
                    ? planned[decision.Status.CurrentBatch].Target
                    : decision.Status.RollingState is RollingState.Finalising or RollingState.RolloutSucceed ? pods : 0);
                var crash = random.Next(4) == 0;
                var applied = crash ? random.Next(decision.Intents.Count + 1) : decision.Intents.Count;
                foreach (var intent in decision.Intents.Take(applied))
                {
                    harness.Workload.Apply(intent);
                }

                if (!crash)
                {
                    harness.Status = decision.Status;
                }

                if (random.Next(3) > 0)
                {
                    harness.Workload.Settle();
                }

                if (harness.Workload.TargetPods > furthest)
                {
                    return (false, $"{harness.Workload.TargetPods} upgraded pods, more than the {furthest} of the furthest batch decided");
                }
            }

            var targets = harness.Workload.Applied.OfType<SetTarget>().Select(t => t.Pods)
                .Where((t, i, all) => i == 0 || all[i - 1] != t).ToArray();
            var expected = planned.Batches.Select(b => b.Target).Where((t, i) => i == 0 || planned[i - 1].Target != t).ToArray();
            if (harness.State != RollingState.RolloutSucceed)
            {
                return (false, $"ended in {harness.State}/{harness.Status?.BatchRollingState} batch {harness.Status?.CurrentBatch}, pods {pods}, batches {string.Join(',', sizes)}, {strategy}; {harness.Workload.Snapshot()}, requested {harness.Workload.RequestedTarget}/{harness.Workload.RequestedSource}; waiting for {harness.Engine.Decide(harness.Input()).WaitingFor}");
            }

            return (targets.SequenceEqual(expected), $"targets {string.Join(',', targets)} != {string.Join(',', expected)}");
        }
    }
}

internal static class EnumerableExtensions
{
    public static IEnumerable<T> Where<T>(this IEnumerable<T> source, Func<T, int, IReadOnlyList<T>, bool> predicate)
    {
        var all = source.ToList();
        return all.Where((item, index) => predicate(item, index, all));
    }
}
