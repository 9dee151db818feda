using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// Two objects: one object per revision (<c>&lt;component&gt;-v&lt;N&gt;</c>): Deployments always, and CloneSets for
/// blue/green (a second CloneSet per revision, beside the source); a batch scales the
/// target to the batch target and the source to what is left, in the order the strategy says. Readiness is
/// the target's <c>readyReplicas</c>; the source counts by <c>status.replicas</c>. On success the source is deleted.
/// A rollout changed mid-way may leave pods on the component's Deployments of other revisions (the
/// <see cref="RolloutTarget.Siblings"/>): they count with the source, are scaled down before it, put to 0 by a
/// revert, and deleted on success, so every pod ends on the revision the rollout names.
/// </summary>
public sealed class TwoObjectAdapter(WorkloadPatcher patcher, ResourceKind kind, string pausePath) : IWorkloadAdapter
{
    private readonly ResourceKind Deployment = kind; // the kind of every object it drives

    /// <summary>Deployments, one per revision (paused by <c>spec.paused</c>).</summary>
    public static TwoObjectAdapter Deployments(WorkloadPatcher patcher) => new(patcher, ResourceKind.Deployment, "spec.paused");

    /// <summary>CloneSets side by side for blue/green, one per revision (paused by <c>spec.updateStrategy.paused</c>).</summary>
    public static TwoObjectAdapter CloneSetPairs(WorkloadPatcher patcher) => new(patcher, ResourceKind.CloneSet, "spec.updateStrategy.paused");

    public string Kind => Deployment.Kind;

    public WorkloadStyle Style => WorkloadStyle.TwoObject;

    public async Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        foreach (var reference in Objects(target))
        {
            if (await WorkloadMarks.VerifyNotHeldByAnotherAsync(patcher.Api, Deployment, reference, target, cancellationToken) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public async Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var targetObject = await patcher.Api.GetAsync(Deployment, target.Target.Namespace, target.Target.Name, cancellationToken);
        var sourceObject = target.Mode == RolloutMode.Upgrade && target.Source is { } source
            ? await patcher.Api.GetAsync(Deployment, source.Namespace, source.Name, cancellationToken)
            : null;
        var siblings = new List<JsonObject>();
        foreach (var name in SiblingNames(target))
        {
            if (await patcher.Api.GetAsync(Deployment, target.Target.Namespace, name, cancellationToken) is { } sibling)
            {
                siblings.Add(sibling);
            }
        }

        return Snapshot(targetObject, sourceObject, target, siblings);
    }

    /// <summary>The neutral view of a target and a source Deployment, and the siblings' (pure; exposed for tests).</summary>
    public static WorkloadSnapshot Snapshot(JsonObject? targetObject, JsonObject? sourceObject, RolloutTarget target, IReadOnlyList<JsonObject>? siblings = null)
    {
        var upgrade = target.Mode == RolloutMode.Upgrade;
        JsonObject[] others = upgrade ? [.. new[] { sourceObject }.OfType<JsonObject>(), .. siblings ?? []] : [];
        var targetReplicas = targetObject is null ? 0 : JsonPath.Int(targetObject, "spec.replicas", 1);
        var sourceReplicas = sourceObject is null ? 0 : JsonPath.Int(sourceObject, "spec.replicas", 1);
        var siblingReplicas = (siblings ?? []).Sum(d => JsonPath.Int(d, "spec.replicas", 1));
        return new WorkloadSnapshot
        {
            Style = WorkloadStyle.TwoObject,
            Exists = targetObject is not null,
            Prepared = targetObject is not null && WorkloadMarks.HeldBy(targetObject, target),
            Settled = JsonPath.Settled(targetObject) && others.All(JsonPath.Settled),
            RequestedTarget = targetObject is null ? null : targetReplicas,
            RequestedSource = upgrade ? sourceReplicas + siblingReplicas : null,
            RevertRequested = upgrade ? sourceReplicas >= target.OriginalSize && targetReplicas == 0 && siblingReplicas == 0 : targetReplicas == target.OriginalSize,
            TargetPods = JsonPath.Int(targetObject, "status.replicas"),
            TargetReady = JsonPath.Int(targetObject, "status.readyReplicas"),
            SourcePods = others.Sum(d => JsonPath.Int(d, "status.replicas")),
            SourceReady = others.Sum(d => JsonPath.Int(d, "status.readyReplicas")),
        };
    }

    /// <summary>One write per intent, in order (they touch different objects, or pods).</summary>
    public async Task ApplyAsync(RolloutTarget target, IReadOnlyList<WorkloadIntent> intents, CancellationToken cancellationToken)
    {
        foreach (var intent in intents)
        {
            await ApplyAsync(target, intent, cancellationToken);
        }
    }

    private async Task ApplyAsync(RolloutTarget target, WorkloadIntent intent, CancellationToken cancellationToken)
    {
        var targetRef = target.Target;
        var sourceRef = target.Mode == RolloutMode.Upgrade ? target.Source : null;
        var siblings = target.Mode == RolloutMode.Upgrade ? SiblingNames(target) : [];
        switch (intent)
        {
            case PrepareWorkload prepare:
                if (await patcher.Api.GetAsync(Deployment, targetRef.Namespace, targetRef.Name, cancellationToken) is null)
                {
                    var created = InPlaceSnapshot.NewWorkload(target, prepare.Mode == RolloutMode.Upgrade ? 0 : prepare.OriginalSize, partition: null);
                    await patcher.Api.CreateAsync(Deployment, targetRef.Namespace, created, cancellationToken);
                }
                else
                {
                    await MarkAsync(targetRef.Name, target, true, cancellationToken);
                }

                foreach (var name in SourceNames(target))
                {
                    await MarkAsync(name, target, true, cancellationToken);
                }

                break;
            case SetTarget set when sourceRef is not null:
                // A floor: upgrading, the target only grows (a rollout reverted mid-way finds pods on it already).
                await patcher.PatchAsync(Deployment, targetRef.Namespace, targetRef.Name,
                    d => JsonPath.Set(d, "spec.replicas", Math.Max(JsonPath.Int(d, "spec.replicas", 1), set.Pods)), cancellationToken);
                break;
            case SetTarget set:
                await ScaleAsync(target, targetRef.Name, set.Pods, cancellationToken);
                break;
            case SetSource set when sourceRef is not null:
                await ShrinkSourcesAsync(target, set.Pods, cancellationToken);
                break;
            case RevertWorkload revert when sourceRef is not null:
                // Respect availability: the source comes back first; the target and the siblings go once the source is ready.
                var source = await patcher.PatchAsync(Deployment, sourceRef.Namespace, sourceRef.Name,
                    d => JsonPath.Set(d, "spec.replicas", Math.Max(JsonPath.Int(d, "spec.replicas"), revert.OriginalSize)), cancellationToken);
                if (source is null || JsonPath.Int(source, "status.readyReplicas") >= revert.OriginalSize)
                {
                    await ScaleAsync(target, targetRef.Name, 0, cancellationToken);
                    foreach (var name in siblings)
                    {
                        await ScaleAsync(target, name, 0, cancellationToken);
                    }
                }

                break;
            case RevertWorkload revert:
                await ScaleAsync(target, targetRef.Name, revert.OriginalSize, cancellationToken);
                break;
            case PauseWorkload:
                foreach (var name in SourceNames(target).Prepend(targetRef.Name))
                {
                    await patcher.PatchAsync(Deployment, targetRef.Namespace, name, d => JsonPath.Set(d, pausePath, true), cancellationToken);
                }

                break;
            case ReleaseWorkload release:
                await MarkAsync(targetRef.Name, target, false, cancellationToken);
                foreach (var name in SourceNames(target))
                {
                    if (release.Succeeded)
                    {
                        await patcher.Api.DeleteAsync(Deployment, targetRef.Namespace, name, "Background", cancellationToken);
                    }
                    else
                    {
                        await MarkAsync(name, target, false, cancellationToken);
                    }
                }

                break;
        }
    }

    /// <summary>
    /// The source side down to <paramref name="pods"/> in all: the siblings first (the oldest revisions), the source last,
    /// so a rollback finds the source as intact as the plan allows. Never scales anything up.
    /// </summary>
    private async Task ShrinkSourcesAsync(RolloutTarget target, int pods, CancellationToken cancellationToken)
    {
        var ns = target.Target.Namespace;
        var names = SourceNames(target).ToList();
        var current = new List<(string Name, int Replicas)>();
        foreach (var name in names)
        {
            if (await patcher.Api.GetAsync(Deployment, ns, name, cancellationToken) is { } live)
            {
                current.Add((name, JsonPath.Int(live, "spec.replicas", 1)));
            }
        }

        // Keep pods from the source first, then from the newest sibling backwards; the rest goes.
        var left = pods;
        foreach (var (name, replicas) in current.OrderBy(c => c.Name == target.Source!.Name ? 0 : 1).ThenByDescending(c => Revision(c.Name)))
        {
            var keep = Math.Min(replicas, left);
            left -= keep;
            if (keep != replicas)
            {
                await ScaleAsync(target, name, keep, cancellationToken);
            }
        }
    }

    /// <summary>Every object the rollout drives: the target, then the source and the siblings.</summary>
    private static IEnumerable<WorkloadReference> Objects(RolloutTarget target)
    {
        yield return target.Target;
        if (target.Source is { } source)
        {
            yield return source;
        }

        foreach (var name in SiblingNames(target))
        {
            yield return target.Target with { Name = name };
        }
    }

    /// <summary>The source's name and the siblings' (upgrading), or nothing (scaling).</summary>
    private static IEnumerable<string> SourceNames(RolloutTarget target) =>
        target.Mode == RolloutMode.Upgrade && target.Source is { } source ? SiblingNames(target).Prepend(source.Name) : [];

    private static IReadOnlyList<string> SiblingNames(RolloutTarget target) => target.Mode == RolloutMode.Upgrade ? target.Siblings : [];

    private static int Revision(string name) =>
        int.TryParse(name[(name.LastIndexOf("-v", StringComparison.Ordinal) + 2)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    private Task ScaleAsync(RolloutTarget target, string name, int replicas, CancellationToken cancellationToken) =>
        patcher.PatchAsync(Deployment, target.Target.Namespace, name, d => JsonPath.Set(d, "spec.replicas", replicas), cancellationToken);

    private Task MarkAsync(string name, RolloutTarget target, bool held, CancellationToken cancellationToken) =>
        patcher.PatchAsync(Deployment, target.Target.Namespace, name, d =>
        {
            if (held)
            {
                WorkloadMarks.Hold(d, target);
                // A pause left by an earlier rollout (onFailure: Pause, a deletion) ends when a rollout takes it over.
                if (JsonPath.Get(d, pausePath) is JsonValue paused && paused.GetValueKind() == System.Text.Json.JsonValueKind.True)
                {
                    JsonPath.Set(d, pausePath, false);
                }
            }
            else
            {
                WorkloadMarks.Release(d);
            }
        }, cancellationToken);
}
