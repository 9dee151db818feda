using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// Deployment, two objects: one Deployment per revision (<c>&lt;component&gt;-v&lt;N&gt;</c>); a batch scales the
/// target to the batch target and the source to what is left, in the order the strategy says. Readiness is
/// the target's <c>readyReplicas</c>; the source counts by <c>status.replicas</c>. On success the source is deleted.
/// </summary>
public sealed class DeploymentAdapter(WorkloadPatcher patcher) : IWorkloadAdapter
{
    private static readonly ResourceKind Deployment = ResourceKind.Deployment;

    public string Kind => "Deployment";

    public WorkloadStyle Style => WorkloadStyle.TwoObject;

    public async Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken) =>
        await WorkloadMarks.VerifyNotHeldByAnotherAsync(patcher.Api, Deployment, target.Target, target, cancellationToken)
        ?? (target.Source is { } source ? await WorkloadMarks.VerifyNotHeldByAnotherAsync(patcher.Api, Deployment, source, target, cancellationToken) : null);

    public async Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var targetObject = await patcher.Api.GetAsync(Deployment, target.Target.Namespace, target.Target.Name, cancellationToken);
        var sourceObject = target.Mode == RolloutMode.Upgrade && target.Source is { } source
            ? await patcher.Api.GetAsync(Deployment, source.Namespace, source.Name, cancellationToken)
            : null;
        return Snapshot(targetObject, sourceObject, target);
    }

    /// <summary>The neutral view of a target and a source Deployment (pure; exposed for tests).</summary>
    public static WorkloadSnapshot Snapshot(JsonObject? targetObject, JsonObject? sourceObject, RolloutTarget target)
    {
        var upgrade = target.Mode == RolloutMode.Upgrade;
        var targetReplicas = targetObject is null ? 0 : JsonPath.Int(targetObject, "spec.replicas", 1);
        var sourceReplicas = sourceObject is null ? 0 : JsonPath.Int(sourceObject, "spec.replicas", 1);
        return new WorkloadSnapshot
        {
            Style = WorkloadStyle.TwoObject,
            Exists = targetObject is not null,
            Prepared = targetObject is not null && WorkloadMarks.HeldBy(targetObject, target),
            Settled = JsonPath.Settled(targetObject) && JsonPath.Settled(sourceObject),
            RequestedTarget = targetObject is null ? null : targetReplicas,
            RequestedSource = upgrade ? sourceReplicas : null,
            RevertRequested = upgrade ? sourceReplicas >= target.OriginalSize && targetReplicas == 0 : targetReplicas == target.OriginalSize,
            TargetPods = JsonPath.Int(targetObject, "status.replicas"),
            TargetReady = JsonPath.Int(targetObject, "status.readyReplicas"),
            SourcePods = JsonPath.Int(sourceObject, "status.replicas"),
            SourceReady = JsonPath.Int(sourceObject, "status.readyReplicas"),
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
                    await Mark(targetRef, target, true, cancellationToken);
                }

                if (sourceRef is not null)
                {
                    await Mark(sourceRef, target, true, cancellationToken);
                }

                break;
            case SetTarget set:
                await Scale(targetRef, set.Pods, cancellationToken);
                break;
            case SetSource set when sourceRef is not null:
                await Scale(sourceRef, set.Pods, cancellationToken);
                break;
            case RevertWorkload revert when sourceRef is not null:
                // Respect availability: the source comes back first; the target goes once the source is ready.
                var source = await patcher.PatchAsync(Deployment, sourceRef.Namespace, sourceRef.Name,
                    d => JsonPath.Set(d, "spec.replicas", Math.Max(JsonPath.Int(d, "spec.replicas"), revert.OriginalSize)), cancellationToken);
                if (source is null || JsonPath.Int(source, "status.readyReplicas") >= revert.OriginalSize)
                {
                    await Scale(targetRef, 0, cancellationToken);
                }

                break;
            case RevertWorkload revert:
                await Scale(targetRef, revert.OriginalSize, cancellationToken);
                break;
            case PauseWorkload:
                await patcher.PatchAsync(Deployment, targetRef.Namespace, targetRef.Name, d => JsonPath.Set(d, "spec.paused", true), cancellationToken);
                break;
            case ReleaseWorkload release:
                await Mark(targetRef, target, false, cancellationToken);
                if (sourceRef is not null)
                {
                    if (release.Succeeded)
                    {
                        await patcher.Api.DeleteAsync(Deployment, sourceRef.Namespace, sourceRef.Name, "Background", cancellationToken);
                    }
                    else
                    {
                        await Mark(sourceRef, target, false, cancellationToken);
                    }
                }

                break;
        }
    }

    private Task Scale(WorkloadReference reference, int replicas, CancellationToken cancellationToken) =>
        patcher.PatchAsync(Deployment, reference.Namespace, reference.Name, d => JsonPath.Set(d, "spec.replicas", replicas), cancellationToken);

    private Task Mark(WorkloadReference reference, RolloutTarget target, bool held, CancellationToken cancellationToken) =>
        patcher.PatchAsync(Deployment, reference.Namespace, reference.Name, d =>
        {
            if (held)
            {
                WorkloadMarks.Hold(d, target);
            }
            else
            {
                WorkloadMarks.Release(d);
            }
        }, cancellationToken);
}
