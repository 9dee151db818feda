namespace Sluice.Core.Engine;

/// <summary>What the controller found when it looked for the rollout's revisions and workload.</summary>
public sealed record RevisionObservation
{
    /// <summary>Why the revisions cannot be used yet (not found, unknown component), or null when they can.</summary>
    public string? Problem { get; init; }

    /// <summary>A short CamelCase reason for <see cref="Problem"/>, e.g. "RevisionNotFound".</summary>
    public string? ProblemReason { get; init; }

    /// <summary>Why the workload may not be taken over, found while verifying; fails the rollout.</summary>
    public string? WorkloadProblem { get; init; }

    /// <summary>A source revision other than the target is named: pods move between revisions.</summary>
    public bool HasSource { get; init; }

    /// <summary>Pods before the rollout: the source's size, or the existing workload's when scaling.</summary>
    public int OriginalSize { get; init; }

    /// <summary>
    /// Pods after the rollout: <c>targetSize</c> when given; else, upgrading, the source workload's current size
    /// (KubeVela's rule); else, bringing a revision up from nothing, the target revision's replicas.
    /// </summary>
    public int TargetSize { get; init; }

    /// <summary>Where <see cref="OriginalSize"/> and <see cref="TargetSize"/> came from, for error messages (e.g. "target size 5 from the source workload CloneSet web").</summary>
    public string? SizeOrigin { get; init; }

    /// <summary>The source's pod template hash (what the stable Service is pinned to), or null without a source.</summary>
    public string? SourceTemplateHash { get; init; }

    /// <summary>The workload's kind, e.g. "CloneSet" (some plans suit only some kinds).</summary>
    public string? WorkloadKind { get; init; }

    /// <summary>Why the routers cannot steer the plan's traffic (objects missing, matches a kind cannot express), found while verifying; fails the rollout.</summary>
    public string? TrafficProblem { get; init; }

    /// <summary>The target's pod template hash.</summary>
    public string? TargetGeneration { get; init; }

    public static RevisionObservation Missing(string reason, string problem) => new() { ProblemReason = reason, Problem = problem };
}
