using System.Diagnostics;

namespace Sluice.Controllers.Tests;

/// <summary>Bounded waits for tests: every wait ends, with a message saying what never happened.</summary>
internal static class Eventually
{
    public static async Task WaitUntil(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what ?? "condition"} not met within {limit.TotalSeconds}s");
            }

            await Task.Delay(5);
        }
    }
}
