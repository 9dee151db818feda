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
    int TargetSize);
