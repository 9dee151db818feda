using Sluice.Core.Api;

namespace Sluice.Controllers.Operations;

/// <summary>
/// A rollout as an operator looks at it (one frame of <c>sluice rollout watch</c>, the dashboard's rollout page): the
/// rollout, its revisions' images, its workloads and their pods.
/// </summary>
public sealed record RolloutSnapshot(
    AppRollout Rollout,
    IReadOnlyList<string> SourceImages,
    IReadOnlyList<string> TargetImages,
    IReadOnlyList<WatchedWorkload> Workloads,
    DateTimeOffset Now);

/// <summary>A workload the rollout drives (one in place; two for a two-object kind), with its pods.</summary>
public sealed record WatchedWorkload(string Kind, string Name, string Revision, int Replicas, int Ready, int Available, IReadOnlyList<WatchedPod> Pods);

/// <summary>A pod: its revision (by image), phase and health.</summary>
public sealed record WatchedPod(string Name, string Revision, string Image, PodHealth Health, string Info);

public enum PodHealth
{
    Ready,
    Progressing,
    Failed,
}
