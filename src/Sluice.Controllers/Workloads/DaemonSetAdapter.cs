using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// DaemonSet, in place, one pod per node. Taking it over saves the user's <c>spec.updateStrategy</c> in an
/// annotation and sets <c>OnDelete</c> with the target template, so no pod moves by itself; a batch is asked
/// for by deleting old-revision pods until <c>batchTarget</c> nodes run (or are about to run) the target:
/// pods carrying the target's template-hash label plus nodes without a live pod (their replacement comes from
/// the current template). That count is also what the snapshot reports as asked for, so the engine re-emits
/// <see cref="SetTarget"/> until the deletions happened, and a repeat deletes nothing more. Readiness counts
/// ready pods with the target's hash. The size is the number of nodes (<c>status.desiredNumberScheduled</c>).
/// </summary>
public sealed class DaemonSetAdapter(WorkloadPatcher patcher) : IWorkloadAdapter, IWorkloadSizer
{
    /// <summary>The user's <c>spec.updateStrategy</c> (JSON) from before the take-over, restored on release.</summary>
    public const string SavedStrategy = "rollout.sluice.dev/update-strategy";

    private static readonly ResourceKind DaemonSet = ResourceKind.DaemonSet;

    public string Kind => "DaemonSet";

    public WorkloadStyle Style => WorkloadStyle.InPlace;

    public Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken) =>
        WorkloadMarks.VerifyNotHeldByAnotherAsync(patcher.Api, DaemonSet, target.Target, target, cancellationToken);

    public async Task<WorkloadSize> SizeAsync(JsonObject? live, JsonObject targetManifest, string ns, CancellationToken cancellationToken)
    {
        if (live is not null)
        {
            return JsonPath.IntOrNull(live, "status.desiredNumberScheduled") is { } desired && JsonPath.Get(live, "status.observedGeneration") is not null
                ? WorkloadSize.Of(desired)
                : WorkloadSize.Waiting($"DaemonSet {JsonPath.String(live, "metadata.name")} has not been counted by its controller yet (status.desiredNumberScheduled)");
        }

        // Not created yet: it will run on every node its template selects.
        var selector = JsonPath.Get(targetManifest, "spec.template.spec.nodeSelector") as JsonObject ?? [];
        var nodes = await patcher.Api.ListAsync(ResourceKind.Node, null, Selector(selector), cancellationToken);
        return WorkloadSize.Of((nodes["items"] as JsonArray ?? []).Count);
    }

    public async Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var workload = await patcher.Api.GetAsync(DaemonSet, target.Target.Namespace, target.Target.Name, cancellationToken);
        return workload is null
            ? WorkloadSnapshot.Missing(WorkloadStyle.InPlace)
            : Snapshot(workload, await PodsAsync(workload, cancellationToken), target);
    }

    /// <summary>The neutral view of a DaemonSet and its pods (pure; exposed for tests).</summary>
    public static WorkloadSnapshot Snapshot(JsonObject workload, IReadOnlyList<JsonObject> pods, RolloutTarget target)
    {
        var upgrade = target.Mode == RolloutMode.Upgrade;
        var onTarget = !upgrade || WorkloadMarks.TemplateRevision(workload) == target.Target.RevisionName;
        var hash = onTarget ? target.Target.TemplateHash : target.Source?.TemplateHash ?? target.Target.TemplateHash;
        var nodes = NodePods.Of(workload, pods, hash);
        var counts = Pods.Count(nodes.Live, hash);
        if (!upgrade)
        {
            // Creating a DaemonSet asks for a pod on every node at once.
            return InPlaceSnapshot.Build(workload, target, target.TargetSize, 0, onTarget, counts);
        }

        // Nodes on the current template's revision or about to be (no live pod: the replacement comes from the template).
        var asked = Math.Min(nodes.Desired, counts.Updated + nodes.Pending);
        return InPlaceSnapshot.Build(workload, target, nodes.Desired, nodes.Desired - asked, onTarget, counts);
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
        var reference = target.Target;
        var upgrade = target.Mode == RolloutMode.Upgrade;
        switch (intent)
        {
            case PrepareWorkload when upgrade:
                await patcher.PatchAsync(DaemonSet, reference.Namespace, reference.Name, ds => TakeOver(ds, target, reference), cancellationToken);
                break;
            case PrepareWorkload:
                // A DaemonSet that does not exist is created by the batch (creating it starts a pod on every node).
                await patcher.PatchAsync(DaemonSet, reference.Namespace, reference.Name, ds => InPlaceSnapshot.TakeOver(ds, target, reference), cancellationToken);
                break;
            case SetTarget set when upgrade:
                await DeleteTowardsAsync(target, set.Pods, cancellationToken);
                break;
            case SetTarget:
                if (await patcher.Api.GetAsync(DaemonSet, reference.Namespace, reference.Name, cancellationToken) is null)
                {
                    var created = InPlaceSnapshot.NewWorkload(target, replicas: 0, partition: null);
                    (created["spec"] as JsonObject)?.Remove("replicas");
                    await patcher.Api.CreateAsync(DaemonSet, reference.Namespace, created, cancellationToken);
                }

                break;
            case RevertWorkload revert when upgrade && target.Source is { } source:
                await RevertAsync(target, source, revert.MaxUnavailable, cancellationToken);
                break;
            case RevertWorkload revert when revert.OriginalSize == 0:
                // Brought up from nothing: going back is having no DaemonSet.
                await patcher.Api.DeleteAsync(DaemonSet, reference.Namespace, reference.Name, "Background", cancellationToken);
                break;
            case PauseWorkload:
                await patcher.PatchAsync(DaemonSet, reference.Namespace, reference.Name, Hold, cancellationToken);
                break;
            case ReleaseWorkload release:
                await ReleaseAsync(target, release.Succeeded, cancellationToken);
                break;
        }
    }

    /// <summary>Marks it, saves the user's update strategy once (a second take-over must not save OnDelete), puts the target template in place behind OnDelete.</summary>
    private static void TakeOver(JsonObject ds, RolloutTarget target, WorkloadReference revision)
    {
        if (JsonPath.Annotation(ds, SavedStrategy) is null)
        {
            var strategy = JsonPath.Get(ds, "spec.updateStrategy")?.ToJsonString() ?? "{}";
            WorkloadMarks.SetMapEntry(ds, "metadata.annotations", SavedStrategy, strategy);
        }

        InPlaceSnapshot.TakeOver(ds, target, revision);
        Hold(ds);
    }

    private static void Hold(JsonObject ds) => JsonPath.Set(ds, "spec.updateStrategy", new JsonObject { ["type"] = "OnDelete" });

    /// <summary>
    /// Deletes old-revision pods until <paramref name="pods"/> nodes run the target or wait for its pod. Only on a
    /// DaemonSet whose controller has seen the target template (else a replacement could come up on the old one).
    /// </summary>
    private async Task DeleteTowardsAsync(RolloutTarget target, int pods, CancellationToken cancellationToken)
    {
        var reference = target.Target;
        var ds = await patcher.Api.GetAsync(DaemonSet, reference.Namespace, reference.Name, cancellationToken);
        if (ds is null || !WorkloadMarks.HeldBy(ds, target) || WorkloadMarks.TemplateRevision(ds) != reference.RevisionName
            || JsonPath.String(ds, "spec.updateStrategy.type") != "OnDelete" || !JsonPath.Settled(ds))
        {
            return;
        }

        var nodes = NodePods.Of(ds, await PodsAsync(ds, cancellationToken), reference.TemplateHash);
        var missing = pods - nodes.OnHash.Count - nodes.Pending;
        foreach (var pod in nodes.Others.OrderBy(Pods.IsReady).ThenBy(NodeName, StringComparer.Ordinal).Take(Math.Max(0, missing)))
        {
            await DeletePodAsync(pod, cancellationToken);
        }
    }

    /// <summary>The source template back (still OnDelete), then target pods deleted: unready ones freely, ready ones while fewer than maxUnavailable nodes lack a ready pod.</summary>
    private async Task RevertAsync(RolloutTarget target, WorkloadReference source, IntOrPercent? maxUnavailable, CancellationToken cancellationToken)
    {
        var reference = target.Target;
        var ds = await patcher.PatchAsync(DaemonSet, reference.Namespace, reference.Name, d => TakeOver(d, target, source), cancellationToken);
        if (ds is null || !JsonPath.Settled(ds))
        {
            return; // the engine asks again on the next look, once the controller has the source template
        }

        var nodes = NodePods.Of(ds, await PodsAsync(ds, cancellationToken), source.TemplateHash);
        var budget = Math.Max(1, maxUnavailable?.Resolve(nodes.Desired) ?? 1);
        var unavailable = nodes.Desired - nodes.ReadyNodes;
        foreach (var pod in nodes.Others.OrderBy(Pods.IsReady).ThenBy(NodeName, StringComparer.Ordinal))
        {
            if (Pods.IsReady(pod))
            {
                if (unavailable >= budget)
                {
                    break;
                }

                unavailable++;
            }

            await DeletePodAsync(pod, cancellationToken);
        }
    }

    /// <summary>
    /// Unmarks it. The user's update strategy comes back on success, or whenever every pod already runs the current
    /// template (nothing would move); a half-upgraded DaemonSet stays on OnDelete so releasing it moves no pod.
    /// </summary>
    private async Task ReleaseAsync(RolloutTarget target, bool succeeded, CancellationToken cancellationToken)
    {
        var reference = target.Target;
        var ds = await patcher.Api.GetAsync(DaemonSet, reference.Namespace, reference.Name, cancellationToken);
        if (ds is null)
        {
            return;
        }

        var settledOnTemplate = false;
        if (!succeeded && WorkloadMarks.TemplateRevision(ds) is { } revision)
        {
            var hash = revision == reference.RevisionName ? reference.TemplateHash : target.Source?.TemplateHash;
            var nodes = NodePods.Of(ds, await PodsAsync(ds, cancellationToken), hash ?? string.Empty);
            settledOnTemplate = hash is not null && nodes.Others.Count == 0 && nodes.Pending == 0;
        }

        await patcher.PatchAsync(DaemonSet, reference.Namespace, reference.Name, d =>
        {
            WorkloadMarks.Release(d);
            if ((succeeded || settledOnTemplate) && JsonPath.Annotation(d, SavedStrategy) is { } saved)
            {
                JsonPath.Set(d, "spec.updateStrategy", JsonNode.Parse(saved) as JsonObject ?? []);
                WorkloadMarks.SetMapEntry(d, "metadata.annotations", SavedStrategy, null);
            }
        }, cancellationToken);
    }

    private async Task DeletePodAsync(JsonObject pod, CancellationToken cancellationToken) =>
        await patcher.Api.DeleteAsync(ResourceKind.Pod, JsonPath.String(pod, "metadata.namespace"), JsonPath.String(pod, "metadata.name")!, null, cancellationToken);

    /// <summary>The DaemonSet's pods (by its selector, owned by it), labelled by a rollout or not.</summary>
    private async Task<IReadOnlyList<JsonObject>> PodsAsync(JsonObject ds, CancellationToken cancellationToken)
    {
        var uid = JsonPath.String(ds, "metadata.uid");
        var selector = JsonPath.Get(ds, "spec.selector.matchLabels") as JsonObject ?? [];
        var list = await patcher.Api.ListAsync(ResourceKind.Pod, JsonPath.String(ds, "metadata.namespace"), Selector(selector), cancellationToken);
        return (list["items"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(p => (JsonPath.Get(p, "metadata.ownerReferences") as JsonArray ?? []).Any(o => JsonPath.String(o, "uid") == uid))
            .ToList();
    }

    private static string? Selector(JsonObject labels) =>
        labels.Count == 0 ? null : string.Join(',', labels.Select(l => $"{l.Key}={l.Value?.GetValue<string>()}"));

    private static string NodeName(JsonObject pod) => JsonPath.String(pod, "spec.nodeName") ?? string.Empty;

    /// <summary>A DaemonSet's live pods split by node and by whether they carry <c>hash</c>.</summary>
    private sealed record NodePods(int Desired, IReadOnlyList<JsonObject> Live, IReadOnlyList<JsonObject> OnHash, IReadOnlyList<JsonObject> Others, int Pending, int ReadyNodes)
    {
        public static NodePods Of(JsonObject ds, IReadOnlyList<JsonObject> pods, string hash)
        {
            var live = pods.Where(p => JsonPath.Get(p, "metadata.deletionTimestamp") is null).ToList();
            var desired = JsonPath.Int(ds, "status.desiredNumberScheduled");
            var withPod = live.Select(NodeName).Distinct().Count();
            var ready = live.Where(Pods.IsReady).Select(NodeName).Distinct().Count();
            var onHash = live.Where(p => Pods.TemplateHash(p) == hash).ToList();
            var others = live.Where(p => Pods.TemplateHash(p) != hash).ToList();
            return new NodePods(desired, live, onHash, others, Math.Max(0, desired - withPod), ready);
        }
    }
}
