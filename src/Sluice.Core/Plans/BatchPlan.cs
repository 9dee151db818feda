namespace Sluice.Core.Plans;

/// <summary>A plan resolved against its shape: every batch's size and cumulative target.</summary>
public sealed record BatchPlan(RolloutShape Shape, IReadOnlyList<PlannedBatch> Batches)
{
    public int Count => Batches.Count;

    public PlannedBatch this[int index] => Batches[index];

    public bool IsLast(int index) => index == Batches.Count - 1;

    /// <summary>
    /// The batch a rollout with <c>batchPartition: partition</c> parks after: the partition itself,
    /// or the last batch when the partition is at or beyond it.
    /// </summary>
    public PlannedBatch ParksAfter(int partition) => Batches[Math.Min(partition, Batches.Count - 1)];
}
