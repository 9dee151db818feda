namespace Sluice.Core.Plans;

/// <summary>Defaulting of batch sizes from <c>numBatches</c>.</summary>
public static class BatchSizes
{
    /// <summary>
    /// Splits <paramref name="pods"/> into <paramref name="count"/> int batches that add up to it,
    /// the remainder on the later batches.
    /// Examples: 8 over 5 is 1,1,2,2,2; 9 over 4 is 2,2,2,3; 4 over 5 is 0,1,1,1,1.
    /// </summary>
    public static IReadOnlyList<int> Even(int pods, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pods);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var quotient = pods / count;
        var remainder = pods % count;
        return Enumerable.Range(0, count).Select(i => quotient + (i >= count - remainder ? 1 : 0)).ToArray();
    }
}
