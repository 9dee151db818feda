namespace Sluice.Simulator.Runtime;

/// <summary>What a queued key is reconciled as: a workload controller, the kubelet for a pod, or the EndpointSlice controller for a Service.</summary>
internal enum WorkKind
{
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    CloneSet,

    /// <summary>A kind declared by a WorkloadKind, run with CloneSet semantics.</summary>
    Declared,
    Job,
    CronJob,
    Pod,
    Service,
}
