namespace Sluice.Simulator;

/// <summary>
/// How the simulated cluster behaves: <paramref name="Nodes"/> nodes named <c>sim-node-0..N-1</c>,
/// each pod becoming ready after a delay drawn from <paramref name="PodReadyDelay"/>, and at most
/// <paramref name="Workers"/> reconciles running at once. A deleted pod terminates for a delay drawn from
/// <paramref name="PodTerminationDelay"/> (the simulated, shortened grace period; never longer than the pod's own).
/// </summary>
public sealed record SimulatorOptions(int Nodes = 3, DelayRange? PodReadyDelay = null, int Workers = 4, DelayRange? PodTerminationDelay = null)
{
    public static DelayRange DefaultPodReadyDelay { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

    public static DelayRange DefaultPodTerminationDelay { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));

    public DelayRange ReadyDelay => PodReadyDelay ?? DefaultPodReadyDelay;

    public DelayRange TerminationDelay => PodTerminationDelay ?? DefaultPodTerminationDelay;
}
