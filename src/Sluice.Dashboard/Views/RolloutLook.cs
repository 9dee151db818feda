using Sluice.Core.Api;
using Sluice.Core.Operations;

namespace Sluice.Dashboard.Views;

/// <summary>How a rollout looks at a glance: its kind of state (for colour, icon and the state filter) and words for it.</summary>
internal sealed record RolloutLook(string Kind, string Icon, string Label)
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Pending = "pending";

    public static IReadOnlyList<string> Kinds { get; } = [Running, Paused, Succeeded, Failed, Pending];

    public static RolloutLook Of(RolloutFacts facts)
    {
        var batch = facts.State == RollingState.RollingInBatches && facts.BatchStateName is { } b ? $" · batch {facts.Batch} {b}" : "";
        return facts.State switch
        {
            null => new(Pending, "○", "pending: not picked up yet"),
            RollingState.RolloutSucceed => new(Succeeded, "✔", facts.StateName),
            RollingState.RolloutFailed or RollingState.RolloutFailing => new(Failed, "✖", facts.StateName + batch),
            _ when facts.Plan.Paused == true => new(Paused, "‖", $"{facts.StateName}{batch} · paused"),
            _ when HeldByPartition(facts) => new(Paused, "‖", $"{facts.StateName}{batch} · held at batchPartition {facts.Plan.BatchPartition}"),
            _ => new(Running, "◌", facts.StateName + batch),
        };
    }

    /// <summary>Parked in batchReady until batchPartition is raised.</summary>
    public static bool HeldByPartition(RolloutFacts facts) =>
        facts.State == RollingState.RollingInBatches && facts.Status?.BatchRollingState == BatchRollingState.BatchReady
        && facts.Plan.BatchPartition is { } p && p <= (facts.Status?.CurrentBatch ?? 0) && (facts.Status?.CurrentBatch ?? 0) + 1 < facts.BatchCount;
}
