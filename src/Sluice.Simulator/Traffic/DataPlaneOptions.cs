namespace Sluice.Simulator.Traffic;

/// <summary>
/// How the simulated data plane runs: it moves the clients' requests every <paramref name="Tick"/> of its clock (default
/// 200ms) and draws request latencies from a random source seeded with <paramref name="Seed"/> (routing shares and error
/// rates use no randomness: they are exact).
/// </summary>
public sealed record DataPlaneOptions(TimeSpan? Tick = null, int Seed = 1)
{
    public TimeSpan TickInterval => Tick is { } tick && tick > TimeSpan.Zero ? tick : TimeSpan.FromMilliseconds(200);
}
