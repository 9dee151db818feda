namespace Sluice.Simulator.Runtime;

/// <summary>What a queued key is reconciled as: a workload controller, or the kubelet for a pod.</summary>
internal enum WorkKind
{
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    CloneSet,
    Job,
    CronJob,
    Pod,
}
