namespace Sluice.Simulator.Traffic;

/// <summary>
/// Shares whole requests out by weight, exactly over time and without randomness: each part keeps a credit of what it is
/// owed (scaled by the total weight); a batch of n adds n * weight to every credit, gives each part the whole requests its
/// credit covers, and the few left over to the largest credits. The credits always sum to 0 and stay within one request of
/// it, so after any number of batches every part has received its exact share within about one request (whatever the
/// batch sizes). A change of weights starts afresh. Not thread-safe: the data plane steps under a lock.
/// </summary>
/// <example>
/// Weights 90, 10 and batches of 7: 7 requests give 6 and 1 (credits 30 and -30 of 100), then 7 more give 7 and 0 ...; after
/// 100 requests exactly 90 and 10.
/// </example>
internal sealed class Splitter
{
    private readonly Dictionary<string, State> states = new(StringComparer.Ordinal);
    private long generation;

    /// <summary>Splits <paramref name="count"/> by <paramref name="weights"/> (non-negative, not all 0) under <paramref name="key"/>.</summary>
    public long[] Split(string key, long count, IReadOnlyList<long> weights)
    {
        var result = new long[weights.Count];
        var total = weights.Sum();
        if (count <= 0 || total <= 0)
        {
            return result;
        }

        if (!states.TryGetValue(key, out var state) || !state.Weights.SequenceEqual(weights))
        {
            states[key] = state = new State(weights.ToArray(), new long[weights.Count]);
        }

        state.Used = generation;

        var credit = state.Credit;
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            credit[i] += count * weights[i];
            var whole = credit[i] > 0 ? credit[i] / total : 0;
            result[i] = whole;
            credit[i] -= whole * total;
            given += whole;
        }

        // The few left over go to the largest credits (ties: the first part); a rare excess is taken back from the smallest.
        for (; given < count; given++)
        {
            var best = 0;
            for (var i = 1; i < credit.Length; i++)
            {
                if (credit[i] > credit[best])
                {
                    best = i;
                }
            }

            result[best]++;
            credit[best] -= total;
        }

        for (; given > count; given--)
        {
            var worst = -1;
            for (var i = 0; i < credit.Length; i++)
            {
                if (result[i] > 0 && (worst < 0 || credit[i] < credit[worst]))
                {
                    worst = i;
                }
            }

            result[worst]--;
            credit[worst] += total;
        }

        return result;
    }

    /// <summary>How many of <paramref name="count"/> fall in a share of <paramref name="percent"/> (0 to 100), exactly over time.</summary>
    public long Share(string key, long count, double percent)
    {
        var basisPoints = (long)Math.Round(Math.Clamp(percent, 0, 100) * 100);
        return basisPoints switch
        {
            0 => 0,
            10_000 => count,
            _ => Split(key, count, [basisPoints, 10_000 - basisPoints])[0],
        };
    }

    /// <summary>Starts a new generation, forgetting keys unused for <paramref name="keep"/> generations (pods and routes that went away).</summary>
    public void Sweep(long keep)
    {
        generation++;
        if (generation % keep != 0)
        {
            return;
        }

        foreach (var key in states.Where(p => generation - p.Value.Used > keep).Select(p => p.Key).ToList())
        {
            states.Remove(key);
        }
    }

    private sealed record State(long[] Weights, long[] Credit)
    {
        public long Used { get; set; }
    }
}
