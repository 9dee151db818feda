using System.Diagnostics;

namespace Sluice.Testing;

/// <summary>Bounded waits: every wait ends, with a message saying what never happened.</summary>
public static class Eventually
{
    public static async Task WaitUntil(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        await WaitUntilAsync(() => Task.FromResult(condition()), timeout, () => what ?? "condition");
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, Func<string>? what = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what?.Invoke() ?? "condition"} not met within {limit.TotalSeconds}s");
            }

            await Task.Delay(20);
        }
    }
}
