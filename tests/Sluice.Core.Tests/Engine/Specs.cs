using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Core.Tests.Engine;

internal static class Specs
{
    public static AppRolloutSpec Rollout(string? source, string target, params string[] batches) => new()
    {
        SourceAppRevisionName = source,
        TargetAppRevisionName = target,
        ComponentList = ["metrics-provider"],
        RolloutPlan = Plan(batches),
    };

    public static RolloutPlan Plan(params string[] batches) => new()
    {
        RolloutStrategy = RolloutStrategy.IncreaseFirst,
        RolloutBatches = batches.Select(b => new RolloutBatch { Replicas = Parse(b) }).ToArray(),
    };

    public static IntOrPercent Parse(string text) =>
        IntOrPercent.TryParse(text, out var value) ? value! : throw new ArgumentException(text);

    public static AppRolloutSpec WithPlan(this AppRolloutSpec spec, Func<RolloutPlan, RolloutPlan> change) =>
        spec with { RolloutPlan = change(spec.RolloutPlan!) };

    public static RevisionObservation Upgrade(int pods) =>
        new() { HasSource = true, OriginalSize = pods, TargetSize = pods, TargetGeneration = "hash-v2" };

    public static RevisionObservation FromNothing(int pods) =>
        new() { HasSource = false, OriginalSize = 0, TargetSize = pods, TargetGeneration = "hash-v1" };

    public static RevisionObservation Scale(int from, int to) =>
        new() { HasSource = false, OriginalSize = from, TargetSize = to, TargetGeneration = "hash-v1" };
}
