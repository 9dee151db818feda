using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// OpenKruise CloneSet, in place: a batch is asked for with <c>spec.updateStrategy.partition = replicas - batchTarget</c>
/// (pods kept on the old revision); readiness is <c>status.updatedReadyReplicas</c>. A take-over counts the pods that
/// already run the target (by their template-hash label: a rollout reverted or redirected mid-way finds some there) and
/// holds them there, so a batch target is a floor those pods count toward and nothing is moved back.
/// </summary>
public sealed class CloneSetAdapter(WorkloadPatcher patcher, IPodIndex pods) : IWorkloadAdapter
{
    private static readonly ResourceKind Kind_ = ResourceKind.CloneSet;

    public string Kind => "CloneSet";

    public WorkloadStyle Style => WorkloadStyle.InPlace;

    public Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken) =>
        WorkloadMarks.VerifyNotHeldByAnotherAsync(patcher.Api, Kind_, target.Target, target, cancellationToken);

    public async Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var workload = await patcher.Api.GetAsync(Kind_, target.Target.Namespace, target.Target.Name, cancellationToken);
        return Snapshot(workload, target);
    }

    /// <summary>The neutral view of a CloneSet (pure; exposed for tests).</summary>
    public static WorkloadSnapshot Snapshot(JsonObject? workload, RolloutTarget target)
    {
        if (workload is null)
        {
            return WorkloadSnapshot.Missing(WorkloadStyle.InPlace);
        }

        var replicas = JsonPath.Int(workload, "spec.replicas", 1);
        var partition = JsonPath.IntOrPercent(workload, "spec.updateStrategy.partition", replicas);
        var revision = WorkloadMarks.TemplateRevision(workload);
        var onTarget = revision == target.Target.RevisionName;
        var counts = new InPlaceCounts(
            JsonPath.Int(workload, "status.updatedReplicas"),
            JsonPath.Int(workload, "status.updatedReadyReplicas"),
            JsonPath.Int(workload, "status.replicas") - JsonPath.Int(workload, "status.updatedReplicas"),
            JsonPath.Int(workload, "status.readyReplicas") - JsonPath.Int(workload, "status.updatedReadyReplicas"));
        return InPlaceSnapshot.Build(workload, target, replicas, partition, onTarget, counts);
    }

    /// <summary>Every intent in one write of the CloneSet (a create, when a take-over finds none).</summary>
    public async Task ApplyAsync(RolloutTarget target, IReadOnlyList<WorkloadIntent> intents, CancellationToken cancellationToken)
    {
        var reference = target.Target;
        var live = await patcher.Api.GetAsync(Kind_, reference.Namespace, reference.Name, cancellationToken);
        if (live is null)
        {
            if (InPlaceSnapshot.AfterTakeOver(intents) is { } rest)
            {
                var created = InPlaceSnapshot.NewWorkload(target, replicas: 0, partition: null);
                Fold(created, target, rest);
                await patcher.Api.CreateAsync(Kind_, reference.Namespace, created, cancellationToken);
            }

            return;
        }

        var onTargetPods = 0;
        if (intents.Any(i => i is PrepareWorkload { Mode: RolloutMode.Upgrade }))
        {
            var owned = await pods.OwnedByAsync(reference.Namespace, JsonPath.String(live, "metadata.uid") ?? string.Empty, cancellationToken);
            onTargetPods = Pods.Count(owned, reference.TemplateHash).Updated;
        }

        await patcher.PatchAsync(Kind_, live, workload => Fold(workload, target, intents, onTargetPods), cancellationToken);
    }

    private static void Fold(JsonObject workload, RolloutTarget target, IEnumerable<WorkloadIntent> intents, int onTargetPods = 0)
    {
        foreach (var intent in intents)
        {
            Change(workload, target, intent, onTargetPods);
        }
    }

    /// <param name="onTargetPods">Live pods already running the target's template (a take-over holds them there).</param>
    private static void Change(JsonObject workload, RolloutTarget target, WorkloadIntent intent, int onTargetPods)
    {
        var replicas = JsonPath.Int(workload, "spec.replicas", 1);
        switch (intent)
        {
            case PrepareWorkload { Mode: RolloutMode.Upgrade } prepare:
                var held = Math.Min(onTargetPods, prepare.TargetSize);
                InPlaceSnapshot.TakeOver(workload, target, target.Target);
                JsonPath.Set(workload, "spec.replicas", prepare.TargetSize);
                JsonPath.Set(workload, "spec.updateStrategy.partition", Math.Max(0, prepare.TargetSize - held));
                JsonPath.Set(workload, "spec.updateStrategy.paused", false);
                break;
            case PrepareWorkload:
                InPlaceSnapshot.TakeOver(workload, target, target.Target);
                break;
            case SetTarget set when target.Mode == RolloutMode.Upgrade:
                // A floor: the partition only ever comes down during an upgrade (pods a take-over found on the target count).
                var current = JsonPath.IntOrPercent(workload, "spec.updateStrategy.partition", replicas);
                JsonPath.Set(workload, "spec.updateStrategy.partition", Math.Min(current, Math.Max(0, replicas - set.Pods)));
                break;
            case SetTarget set:
                JsonPath.Set(workload, "spec.replicas", set.Pods);
                break;
            case RevertWorkload revert when target.Mode == RolloutMode.Upgrade && target.Source is { } source:
                InPlaceSnapshot.TakeOver(workload, target, source);
                JsonPath.Set(workload, "spec.updateStrategy.partition", 0);
                JsonPath.Set(workload, "spec.updateStrategy.paused", false);
                if (revert.MaxUnavailable is { } maxUnavailable)
                {
                    JsonPath.Set(workload, "spec.updateStrategy.maxUnavailable", maxUnavailable.IsPercent ? JsonValue.Create(maxUnavailable.ToString()) : JsonValue.Create(maxUnavailable.Value));
                }

                break;
            case RevertWorkload revert:
                JsonPath.Set(workload, "spec.replicas", revert.OriginalSize);
                break;
            case PauseWorkload:
                JsonPath.Set(workload, "spec.updateStrategy.paused", true);
                break;
            case ReleaseWorkload:
                WorkloadMarks.Release(workload);
                break;
        }
    }
}
