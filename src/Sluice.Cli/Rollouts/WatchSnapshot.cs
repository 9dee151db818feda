using Sluice.Core.Api;

namespace Sluice.Cli.Rollouts;

/// <summary>Everything one frame of <c>sluice rollout watch</c> shows: the rollout, its revisions' images, its workloads and their pods.</summary>
internal sealed record WatchSnapshot(
    AppRollout Rollout,
    IReadOnlyList<string> SourceImages,
    IReadOnlyList<string> TargetImages,
    IReadOnlyList<WatchedWorkload> Workloads,
    DateTimeOffset Now);

/// <summary>A workload the rollout drives (one in place; two for a two-object kind), with its pods.</summary>
internal sealed record WatchedWorkload(string Kind, string Name, string Revision, int Replicas, int Ready, int Available, IReadOnlyList<WatchedPod> Pods);

/// <summary>A pod: its revision (by image), phase and health.</summary>
internal sealed record WatchedPod(string Name, string Revision, string Image, PodHealth Health, string Info);

internal enum PodHealth
{
    Ready,
    Progressing,
    Failed,
}
