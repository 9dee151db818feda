namespace Sluice.Simulator;

/// <summary>
/// How the simulated cluster behaves: <paramref name="Nodes"/> nodes named <c>sim-node-0..N-1</c>,
/// each pod becoming ready after a delay drawn from <paramref name="PodReadyDelay"/>, and at most
/// <paramref name="Workers"/> reconciles running at once.
/// </summary>
public sealed record SimulatorOptions(int Nodes = 3, DelayRange? PodReadyDelay = null, int Workers = 4)
{
    public static DelayRange DefaultPodReadyDelay { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

    public DelayRange ReadyDelay => PodReadyDelay ?? DefaultPodReadyDelay;
}
