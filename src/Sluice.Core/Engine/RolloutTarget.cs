using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Engine;

/// <summary>Everything an adapter needs to know about the rollout it serves.</summary>
public sealed record RolloutTarget(
    string RolloutNamespace,
    string RolloutName,
    string RolloutUid,
    WorkloadReference Target,
    WorkloadReference? Source,
    RolloutMode Mode,
    int OriginalSize,
    int TargetSize)
{
    /// <summary>
    /// The Application the revisions belong to: workloads a rollout creates or takes over get it as an owner, so they
    /// are collected with the Application (never with the rollout: deleting a rollout must leave the workload).
    /// </summary>
    public OwnerReference? Application { get; init; }

    /// <summary>
    /// Two-object kinds: the names of the component's objects for revisions other than the target and the source
    /// (left by an earlier rollout changed mid-way). Their pods count as not on the target; the rollout takes them
    /// down with the source and deletes them on success.
    /// </summary>
    public IReadOnlyList<string> Siblings { get; init; } = [];
}
