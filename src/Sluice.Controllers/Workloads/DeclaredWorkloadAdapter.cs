using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// Drives a kind Sluice does not know, in place, as a <see cref="WorkloadDeclaration"/> says: the paths of its replicas,
/// pod template, partition and pause, and of its status counts. The take-over rules are the built-in in-place adapters':
/// batch targets are floors, pods already on the target (by their <c>rollout.sluice.dev/template-hash</c> label) count
/// toward them and are held there, <see cref="SetTarget"/> never moves a pod back, the workload is owned by the
/// Application and carries the revision's labels.
/// <list type="bullet">
/// <item>Partition counted from the top (CloneSet-like): pods kept on the old revision; a batch of <c>n</c> sets
/// <c>replicas - n</c> and it only ever comes down.</item>
/// <item>From the bottom: pods moved to the new revision; a batch sets <c>n</c> and it only ever goes up.</item>
/// <item>By ordinal (StatefulSet-like): the ordinal at and above which pods are updated, worked out from the ordinals
/// already on the target (<see cref="StatefulSetPartition"/>).</item>
/// </list>
/// Counts come from the declared status fields when all four are declared (as the CloneSet adapter reads them), else
/// from the pods, listed on demand by their template-hash label (as the StatefulSet adapter does). A kind without a
/// replicas path sizes itself (one pod per node): its size is the declared status replicas.
/// </summary>
public sealed class DeclaredWorkloadAdapter(WorkloadDeclaration declaration, WorkloadPatcher patcher, IPodIndex pods) : IWorkloadAdapter, IWorkloadSizer
{
    private ResourceKind Resource => declaration.Kind;

    public WorkloadDeclaration Declaration => declaration;

    public string Kind => declaration.Kind.Kind;

    public WorkloadStyle Style => WorkloadStyle.InPlace;

    public async Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var what = $"the {Kind} {target.Target.Name} of revision {target.Target.RevisionName}";
        if (declaration.MissingOn(target.Target.Manifest, what) is { } problem)
        {
            return problem;
        }

        if (target.Source is { } source && declaration.MissingOn(source.Manifest, $"the {Kind} {source.Name} of revision {source.RevisionName}") is { } sourceProblem)
        {
            return sourceProblem;
        }

        var live = await patcher.Api.GetAsync(Resource, target.Target.Namespace, target.Target.Name, cancellationToken);
        if (live is not null && declaration.MissingOn(live, $"the live {Kind} {target.Target.Name}") is { } liveProblem)
        {
            return liveProblem;
        }

        return WorkloadMarks.HeldByAnother(live, target) is { } other
            ? $"{Kind} {target.Target.Name} is held by rollout {other}; it must finish or be deleted first"
            : null;
    }

    public async Task<WorkloadSize> SizeAsync(JsonObject? live, JsonObject targetManifest, string ns, CancellationToken cancellationToken)
    {
        if (live is not null)
        {
            return JsonPath.IntOrNull(live, declaration.StatusReplicas!) is { } size && JsonPath.Get(live, declaration.ObservedGeneration) is not null
                ? WorkloadSize.Of(size)
                : WorkloadSize.Waiting($"{Kind} {JsonPath.String(live, "metadata.name")} has not been counted by its controller yet ({declaration.StatusReplicas})");
        }

        // Not created yet: a kind that sizes itself runs one pod on every node its template selects.
        var selector = JsonPath.Get(targetManifest, $"{declaration.Template}.spec.nodeSelector") as JsonObject ?? [];
        var nodes = await patcher.Api.ListAsync(ResourceKind.Node, null,
            selector.Count == 0 ? null : string.Join(',', selector.Select(l => $"{l.Key}={l.Value?.GetValue<string>()}")), cancellationToken);
        return WorkloadSize.Of((nodes["items"] as JsonArray ?? []).Count);
    }

    public async Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var workload = await patcher.Api.GetAsync(Resource, target.Target.Namespace, target.Target.Name, cancellationToken);
        if (workload is null)
        {
            return WorkloadSnapshot.Missing(WorkloadStyle.InPlace);
        }

        var owned = !declaration.CountsFromStatus || declaration.Ordinals ? await OwnedAsync(workload, cancellationToken) : [];
        return Snapshot(workload, target, owned);
    }

    /// <summary>The neutral view of the workload and (when counted from pods, or by ordinal) its pods (pure; exposed for tests).</summary>
    public WorkloadSnapshot Snapshot(JsonObject workload, RolloutTarget target, IReadOnlyList<JsonObject> owned)
    {
        var replicas = Replicas(workload);
        var onTarget = WorkloadMarks.TemplateRevision(workload) == target.Target.RevisionName;
        var hash = onTarget ? target.Target.TemplateHash : target.Source?.TemplateHash ?? target.Target.TemplateHash;
        InPlaceCounts counts;
        if (declaration.CountsFromStatus)
        {
            var updated = JsonPath.Int(workload, declaration.UpdatedReplicas!);
            var updatedReady = JsonPath.Int(workload, declaration.UpdatedReadyReplicas!);
            counts = new InPlaceCounts(updated, updatedReady,
                JsonPath.Int(workload, declaration.StatusReplicas!) - updated, JsonPath.Int(workload, declaration.ReadyReplicas!) - updatedReady);
        }
        else
        {
            counts = Pods.Count(owned, hash);
        }

        var requested = Requested(workload, replicas, owned, hash, onTarget && target.Mode == RolloutMode.Upgrade);
        return InPlaceSnapshot.Build(workload, target, replicas, replicas - requested, onTarget, counts, Settled(workload));
    }

    /// <summary>Every intent in one write (a create, when a take-over finds none).</summary>
    public async Task ApplyAsync(RolloutTarget target, IReadOnlyList<WorkloadIntent> intents, CancellationToken cancellationToken)
    {
        var reference = target.Target;
        var live = await patcher.Api.GetAsync(Resource, reference.Namespace, reference.Name, cancellationToken);
        if (live is null)
        {
            if (InPlaceSnapshot.AfterTakeOver(intents) is { } rest)
            {
                var created = target.Target.Manifest.DeepClone().AsObject();
                JsonPath.Set(created, "metadata.name", reference.Name);
                JsonPath.Set(created, "metadata.namespace", reference.Namespace);
                created.Remove("status");
                InPlaceSnapshot.TakeOver(created, target, reference, declaration.Template);
                if (declaration.Replicas is { } replicasPath)
                {
                    JsonPath.Set(created, replicasPath, 0);
                }

                Fold(created, target, rest, owned: []);
                await patcher.Api.CreateAsync(Resource, reference.Namespace, created, cancellationToken);
            }

            return;
        }

        IReadOnlyList<JsonObject> owned = [];
        if (target.Mode == RolloutMode.Upgrade && intents.Any(i => i is PrepareWorkload || (declaration.Ordinals && i is SetTarget)))
        {
            owned = await OwnedAsync(live, cancellationToken);
        }

        await patcher.PatchAsync(Resource, live, workload => Fold(workload, target, intents, owned), cancellationToken);
    }

    private async Task<IReadOnlyList<JsonObject>> OwnedAsync(JsonObject workload, CancellationToken cancellationToken) =>
        await pods.OwnedByAsync(JsonPath.String(workload, "metadata.namespace") ?? string.Empty, JsonPath.String(workload, "metadata.uid") ?? string.Empty, cancellationToken);

    private void Fold(JsonObject workload, RolloutTarget target, IEnumerable<WorkloadIntent> intents, IReadOnlyList<JsonObject> owned)
    {
        // Pods a take-over finds on the target's template already (a rollout reverted or redirected mid-way left them).
        var held = Pods.Count(owned, target.Target.TemplateHash).Updated;
        foreach (var intent in intents)
        {
            Change(workload, target, intent, owned, held);
        }
    }

    private void Change(JsonObject workload, RolloutTarget target, WorkloadIntent intent, IReadOnlyList<JsonObject> owned, int held)
    {
        var replicas = Replicas(workload);
        switch (intent)
        {
            case PrepareWorkload { Mode: RolloutMode.Upgrade } prepare:
                InPlaceSnapshot.TakeOver(workload, target, target.Target, declaration.Template);
                if (declaration.Replicas is { } replicasPath)
                {
                    JsonPath.Set(workload, replicasPath, prepare.TargetSize);
                }

                var size = declaration.Replicas is null ? replicas : prepare.TargetSize;
                // Every pod stays where it is: those on the target are held there, none is moved to it yet.
                SetPartition(workload, declaration.Ordinals ? size : Partition(size, Math.Min(held, size)));
                SetPaused(workload, false);
                break;
            case PrepareWorkload:
                InPlaceSnapshot.TakeOver(workload, target, target.Target, declaration.Template);
                break;
            case SetTarget set when target.Mode == RolloutMode.Upgrade:
                // A floor: the partition only ever moves towards more pods on the target.
                var wanted = declaration.Ordinals
                    ? StatefulSetPartition.For(owned, target.Target.TemplateHash, replicas, set.Pods)
                    : Partition(replicas, Math.Min(set.Pods, replicas));
                var current = CurrentPartition(workload, replicas);
                SetPartition(workload, declaration.CountsFromTop ? Math.Min(current, wanted) : Math.Max(current, wanted));
                break;
            case SetTarget set:
                if (declaration.Replicas is { } path)
                {
                    JsonPath.Set(workload, path, set.Pods);
                }

                break;
            case RevertWorkload revert when target.Mode == RolloutMode.Upgrade && target.Source is { } source:
                InPlaceSnapshot.TakeOver(workload, target, source, declaration.Template);
                SetPartition(workload, Partition(replicas, replicas));
                SetPaused(workload, false);
                if (revert.MaxUnavailable is { } maxUnavailable && declaration.MaxUnavailable is { } maxPath)
                {
                    JsonPath.Set(workload, maxPath, maxUnavailable.IsPercent ? JsonValue.Create(maxUnavailable.ToString()) : JsonValue.Create(maxUnavailable.Value));
                }

                break;
            case RevertWorkload revert:
                if (declaration.Replicas is { } scalePath)
                {
                    JsonPath.Set(workload, scalePath, revert.OriginalSize);
                }

                break;
            case PauseWorkload:
                if (declaration.Paused is not null)
                {
                    SetPaused(workload, true);
                }
                else if (declaration.Ordinals)
                {
                    // No pause: no pod is at or above a partition at the replicas, and those below it stay.
                    SetPartition(workload, replicas);
                }

                // Counted from the top or the bottom without a pause, the partition as it stands holds the pods where they are.
                break;
            case ReleaseWorkload:
                WorkloadMarks.Release(workload);
                break;
        }
    }

    private int Replicas(JsonObject workload) =>
        declaration.Replicas is { } path ? JsonPath.Int(workload, path, 1) : JsonPath.Int(workload, declaration.StatusReplicas!);

    /// <summary>What the spec asks of the target: upgraded pods by the partition.</summary>
    private int Requested(JsonObject workload, int replicas, IReadOnlyList<JsonObject> owned, string hash, bool upgradingOnTarget)
    {
        var partition = CurrentPartition(workload, replicas);
        if (declaration.Ordinals)
        {
            return upgradingOnTarget ? StatefulSetPartition.Requested(owned, hash, replicas, partition) : replicas - Math.Clamp(partition, 0, replicas);
        }

        return declaration.CountsFromTop ? replicas - Math.Clamp(partition, 0, replicas) : Math.Clamp(partition, 0, replicas);
    }

    /// <summary>The partition as written, an absent one meaning "no pod held back" (top: 0; bottom: every pod).</summary>
    private int CurrentPartition(JsonObject workload, int replicas) =>
        JsonPath.IntOrPercent(workload, declaration.Partition, replicas, fallback: declaration.CountsFromTop || declaration.Ordinals ? 0 : replicas);

    /// <summary>The partition value that lets <paramref name="upgraded"/> of <paramref name="replicas"/> pods run the new revision.</summary>
    private int Partition(int replicas, int upgraded) => declaration.CountsFromTop ? Math.Max(0, replicas - upgraded) : Math.Max(0, upgraded);

    private void SetPartition(JsonObject workload, int value) => JsonPath.Set(workload, declaration.Partition, value);

    private void SetPaused(JsonObject workload, bool paused)
    {
        if (declaration.Paused is { } path)
        {
            JsonPath.Set(workload, path, paused);
        }
    }

    private bool Settled(JsonObject workload) =>
        JsonPath.Get(workload, declaration.ObservedGeneration) is not null
        && JsonPath.Long(workload, declaration.ObservedGeneration) >= JsonPath.Long(workload, "metadata.generation");
}
