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
        var owned = await pods.OwnedByAsync(target.Target.Namespace, uid, cancellationToken);
        var counts = Pods.Count(owned, hash);
        // What the spec asks of the target counts the pods below the partition already on it (left there by a
        // rollout reverted mid-way), as the StatefulSet controller will not move them.
        var requested = onTarget && target.Mode == RolloutMode.Upgrade ? StatefulSetPartition.Requested(owned, hash, replicas, partition) : replicas - partition;
        return InPlaceSnapshot.Build(workload, target, replicas, replicas - requested, onTarget, counts);
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
                Fold(created, target, rest, owned: []);
                await patcher.Api.CreateAsync(StatefulSet, reference.Namespace, created, cancellationToken);
            }

            return;
        }

        IReadOnlyList<JsonObject> owned = [];
        if (target.Mode == RolloutMode.Upgrade && intents.Any(i => i is SetTarget))
        {
            owned = await pods.OwnedByAsync(reference.Namespace, JsonPath.String(live, "metadata.uid") ?? "", cancellationToken);
        }

        await patcher.PatchAsync(StatefulSet, live, workload => Fold(workload, target, intents, owned), cancellationToken);
    }

    private static void Fold(JsonObject workload, RolloutTarget target, IEnumerable<WorkloadIntent> intents, IReadOnlyList<JsonObject> owned)
    {
        foreach (var intent in intents)
        {
            Change(workload, target, intent, owned);
        }
    }

    /// <param name="owned">The live pods, when an upgrade's batch is asked for (the partition is worked out from them).</param>
    private static void Change(JsonObject workload, RolloutTarget target, WorkloadIntent intent, IReadOnlyList<JsonObject> owned)
    {
        var replicas = JsonPath.Int(workload, "spec.replicas", 1);
        switch (intent)
        {
            case PrepareWorkload { Mode: RolloutMode.Upgrade } prepare:
                // Every pod stays where it is: none is at or above the partition, and the controller leaves those below it.
                InPlaceSnapshot.TakeOver(workload, target, target.Target);
                JsonPath.Set(workload, "spec.replicas", prepare.TargetSize);
                JsonPath.Set(workload, "spec.updateStrategy.type", "RollingUpdate");
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", prepare.TargetSize);
                break;
            case PrepareWorkload:
                InPlaceSnapshot.TakeOver(workload, target, target.Target);
                break;
            case SetTarget set when target.Mode == RolloutMode.Upgrade:
                // A floor: the partition only ever comes down during an upgrade.
                var current = JsonPath.Int(workload, "spec.updateStrategy.rollingUpdate.partition");
                var wanted = StatefulSetPartition.For(owned, target.Target.TemplateHash, replicas, set.Pods);
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", Math.Min(current, wanted));
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
                // A StatefulSet has no pause: hold every pod where it is with the partition (none is at or above it).
                JsonPath.Set(workload, "spec.updateStrategy.rollingUpdate.partition", replicas);
                break;
            case ReleaseWorkload:
                WorkloadMarks.Release(workload);
                break;
        }
    }
}
