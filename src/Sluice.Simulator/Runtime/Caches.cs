namespace Sluice.Simulator.Runtime;

/// <summary>The simulator's watch caches, one per resource type.</summary>
internal sealed record Caches(
    Informer Pods,
    Informer Nodes,
    Informer Deployments,
    Informer ReplicaSets,
    Informer StatefulSets,
    Informer DaemonSets,
    Informer CloneSets,
    Informer Revisions,
    Informer Jobs,
    Informer CronJobs,
    Informer Services,
    Informer EndpointSlices,
    Informer WorkloadKinds)
{
    /// <summary>The kinds declared by WorkloadKinds that the simulator runs, by apiVersion/Kind, each with its own cache.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (Controllers.DeclaredKind Kind, Informer Objects, CancellationTokenSource Stop)> Declared { get; } = new();

    public IEnumerable<Informer> All => [Pods, Nodes, Deployments, ReplicaSets, StatefulSets, DaemonSets, CloneSets, Revisions, Jobs, CronJobs, Services, EndpointSlices, WorkloadKinds];
}
