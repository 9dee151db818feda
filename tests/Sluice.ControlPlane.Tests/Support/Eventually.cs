namespace Sluice.ControlPlane.Tests.Support;

/// <summary>Polls a condition until it holds or a bounded time passes.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = TimeSpan.FromSeconds(15);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < (within ?? deadline))
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return await condition();
    }
}
