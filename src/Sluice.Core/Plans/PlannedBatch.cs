using Sluice.Core.Api;

namespace Sluice.Core.Plans;

/// <summary>One batch of a resolved plan.</summary>
/// <param name="Index">0-based.</param>
/// <param name="Replicas">As written in the plan; null where the last batch omitted it.</param>
/// <param name="Size">Pods this batch moves.</param>
/// <param name="Target">Upgraded pods after the batch (upgrade), or the workload's size after it (scale).</param>
/// <param name="SourceLeft">Pods left on the source revision after the batch (upgrade), or null when scaling.</param>
public sealed record PlannedBatch(int Index, IntOrPercent? Replicas, int Size, int Target, int? SourceLeft, IntOrPercent? MaxUnavailable)
{
    /// <summary>
    /// How many of the batch's target pods may be unready when the batch counts as available:
    /// <c>maxUnavailable</c> resolved against the batch target, 0 when absent.
    /// Example: "50%" of a target of 3 is 2.
    /// </summary>
    public int AllowedUnavailable => MaxUnavailable?.Resolve(Target) ?? 0;
}
