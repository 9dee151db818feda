namespace Sluice.Core.Engine;

/// <summary>
/// The neutral view of a rollout's workload(s) that adapters build from a kind's objects.
/// "Target" pods run the target revision, "source" pods any other one.
/// </summary>
public sealed record WorkloadSnapshot
{
    public required WorkloadStyle Style { get; init; }

    /// <summary>The target workload object exists.</summary>
    public bool Exists { get; init; }

    /// <summary>Taken over by this rollout, with the target template (in place) or the target object present (two objects).</summary>
    public bool Prepared { get; init; }

    /// <summary>Every object's status reflects its latest spec (observedGeneration caught up).</summary>
    public bool Settled { get; init; }

    /// <summary>
    /// What the spec asks of the target now: upgraded pods (in place: replicas - partition), or the
    /// target object's replicas (two objects, scaling). Null when the workload does not exist.
    /// </summary>
    public int? RequestedTarget { get; init; }

    /// <summary>Two objects: the source object's spec.replicas; null otherwise.</summary>
    public int? RequestedSource { get; init; }

    /// <summary>The spec already asks for the source revision everywhere (or the original size when scaling).</summary>
    public bool RevertRequested { get; init; }

    public int TargetPods { get; init; }

    public int TargetReady { get; init; }

    public int SourcePods { get; init; }

    public int SourceReady { get; init; }

    public static WorkloadSnapshot Missing(WorkloadStyle style) => new() { Style = style, Settled = true };

    public override string ToString() =>
        $"{TargetPods} on target ({TargetReady} ready), {SourcePods} on source ({SourceReady} ready)";
}
