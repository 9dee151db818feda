using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>What the resolver found: the observation for the engine and, when usable, the workload to drive.</summary>
public sealed record ResolvedRollout(RevisionObservation Revisions, RolloutTarget? Target, IWorkloadAdapter? Adapter)
{
    /// <summary>The rolled component's name (the one the revisions render), once found.</summary>
    public string? Component { get; init; }
}
