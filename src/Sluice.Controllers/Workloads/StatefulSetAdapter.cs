using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// StatefulSet, in place, highest ordinals first: a batch is asked for with
/// <c>spec.updateStrategy.rollingUpdate.partition = replicas - batchTarget</c>. Readiness counts updated pods
/// that are ready (Sluice: KubeVela counted every ready pod), from the pod cache.
/// </summary>
public sealed class StatefulSetAdapter(WorkloadPatcher patcher, IPodIndex pods) : IWorkloadAdapter
{
    private static readonly ResourceKind StatefulSet = ResourceKind.StatefulSet;

    public string Kind => "StatefulSet";

    public WorkloadStyle Style => WorkloadStyle.InPlace;

    public Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken) =>
        WorkloadMarks.VerifyNotHeldByAnotherAsync(patcher.Api, StatefulSet, target.Target, target, cancellationToken);

    public async Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var workload = await patcher.Api.GetAsync(StatefulSet, target.Target.Namespace, target.Target.Name, cancellationToken);
        if (workload is null)
        {
            return WorkloadSnapshot.Missing(WorkloadStyle.InPlace);
        }

        var replicas = JsonPath.Int(workload, "spec.replicas", 1);
        var partition = JsonPath.Int(workload, "spec.updateStrategy.rollingUpdate.partition");
        var onTarget = WorkloadMarks.TemplateRevision(workload) == target.Target.RevisionName;
        var hash = onTarget ? target.Target.TemplateHash : target.Source?.TemplateHash ?? target.Target.TemplateHash;
        var uid = JsonPath.String(workload, "metadata.uid") ?? string.Empty;
        var counts = Pods.Count(await pods.OwnedByAsync(target.Target.Namespace, uid, cancellationToken), hash);
        return InPlaceSnapshot.Build(workload, target, replicas, partition, onTarget, counts);
    }

    /// <summary>Every intent in one write of the StatefulSet (a create, when a take-over finds none).</summary>
    public async Task ApplyAsync(RolloutTarget target, IReadOnlyList<WorkloadIntent> intents, CancellationToken cancellationToken)
    {
        var reference = target.Target;
        var live = await patcher.Api.GetAsync(StatefulSet, reference.Namespace, reference.Name, cancellationToken);
        if (live is null)
        {
            if (InPlaceSnapshot.AfterTakeOver(intents) is { } rest)
            {
                var created = InPlaceSnapshot.NewWorkload(target, replicas: 0, partition: null);
                JsonPath.Set(created, "spec.updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } });
                Fold(created, target, rest, onTargetPods: 0);
                await patcher.Api.CreateAsync(StatefulSet, reference.Namespace, created, cancellationToken);
            }

            return;
        }

        var onTargetPods = 0;
        if (intents.Any(i => i is PrepareWorkload { Mode: RolloutMode.Upgrade }) && WorkloadMarks.TemplateRevision(live) == reference.RevisionName)
        {
            var owned = await pods.OwnedByAsync(reference.Namespace, JsonPath.String(live, "metadata.uid") ?? "", cancellationToken);
            onTargetPods = Pods.Count(owned, reference.TemplateHash).Updated;
        }

        await patcher.PatchAsync(StatefulSet, live, workload => Fold(workload, target, intents, onTargetPods), cancellationToken);
    }

    private static void Fold(JsonObject workload, RolloutTarget target, IEnumerable<WorkloadIntent> intents, int onTargetPods)
    {
        foreach (var intent in intents)
        {
            Change(workload, target, intent, onTargetPods);
        }
    }

    /// <param name="onTargetPods">Pods already on the target revision (a take-over holds them there).</param>
    private static void Change(JsonObject workload, RolloutTarget target, WorkloadIntent intent, int onTargetPods)
    {
        var replicas = JsonPath.Int(workload, "spec.replicas", 1);
        switch (intent)
        {
            case PrepareWorkload { Mode: RolloutMode.Upgrade } prepare:
                var held = WorkloadMarks.TemplateRevision(workload) == target.Target.RevisionName ? onTargetPods : 0;
                InPlaceSnapshot.TakeOver(workload, target, target.Target);
                JsonPath.Set(workload, "spec.replicas", prepare.TargetSize);
                JsonPath.Set(workload, "spec.updateStrategy.type", "RollingUpdate");
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", Math.Max(0, prepare.TargetSize - held));
                break;
            case PrepareWorkload:
                InPlaceSnapshot.TakeOver(workload, target, target.Target);
                break;
            case SetTarget set when target.Mode == RolloutMode.Upgrade:
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", Math.Max(0, replicas - set.Pods));
                break;
            case SetTarget set:
                JsonPath.Set(workload, "spec.replicas", set.Pods);
                break;
            case RevertWorkload when target.Mode == RolloutMode.Upgrade && target.Source is { } source:
                InPlaceSnapshot.TakeOver(workload, target, source);
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", 0);
                break;
            case RevertWorkload revert:
                JsonPath.Set(workload, "spec.replicas", revert.OriginalSize);
                break;
            case PauseWorkload:
                // A StatefulSet has no pause: hold every pod where it is with the partition.
                var updated = JsonPath.Int(workload, "status.updatedReplicas");
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", Math.Max(0, replicas - updated));
                break;
            case ReleaseWorkload:
                WorkloadMarks.Release(workload);
                break;
        }
    }
}
