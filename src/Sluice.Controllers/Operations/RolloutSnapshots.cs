using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;

namespace Sluice.Controllers.Operations;

/// <summary>Reads a <see cref="RolloutSnapshot"/> from a watch cache: the rollout, its revisions, their workloads and pods.</summary>
public static class RolloutSnapshots
{
    /// <summary>What a cache must watch in the rollout's namespace for <see cref="Collect"/>.</summary>
    public static IReadOnlyList<ResourceKind> Kinds { get; } =
    [
        ResourceKind.AppRollout, ResourceKind.ApplicationRevision, ResourceKind.Pod,
        ResourceKind.CloneSet, ResourceKind.Deployment, ResourceKind.StatefulSet, ResourceKind.DaemonSet,
    ];

    /// <summary>The snapshot, or null when the rollout does not exist.</summary>
    public static RolloutSnapshot? Collect(IObjectReader cache, string ns, string name, DateTimeOffset now)
    {
        var stored = cache.Get(ResourceKind.AppRollout, ns, name);
        if (stored is null)
        {
            return null;
        }

        var rollout = SluiceJson.Deserialize<AppRollout>(stored);
        var component = rollout.Spec.ComponentList is [var only, ..] ? only : null;
        var source = Rendered(cache, ns, rollout.Spec.SourceAppRevisionName, component);
        var target = Rendered(cache, ns, rollout.Spec.TargetAppRevisionName, component);
        var sourceImages = Images(source);
        var targetImages = Images(target);
        var pods = cache.List(ResourceKind.Pod, ns);

        var workloads = new List<WatchedWorkload>();
        foreach (var (rendered, revision) in new[] { (target, rollout.Spec.TargetAppRevisionName), (source, rollout.Spec.SourceAppRevisionName) })
        {
            if (rendered is null || workloads.Any(w => w.Kind == Kind(rendered) && w.Name == Name(rendered)))
            {
                continue;
            }

            var live = cache.Get(ResourceKinds.Of(rendered), ns, Name(rendered));
            if (live is null)
            {
                continue;
            }

            var owned = pods
                .Where(p => (p["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => OwnedBy(o?["name"]?.GetValue<string>(), Name(rendered))))
                .OrderBy(p => p["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
                .Select(p => Pod(p, sourceImages, targetImages, rollout))
                .ToList();
            workloads.Add(new WatchedWorkload(
                Kind(rendered), Name(rendered), revision ?? "",
                Int(live["spec"]?["replicas"]) ?? owned.Count,
                Int(live["status"]?["readyReplicas"]) ?? Int(live["status"]?["numberReady"]) ?? 0,
                Int(live["status"]?["availableReplicas"]) ?? Int(live["status"]?["numberAvailable"]) ?? Int(live["status"]?["readyReplicas"]) ?? 0,
                owned));
        }

        return new RolloutSnapshot(rollout, sourceImages, targetImages, workloads, now);
    }

    /// <summary>The workload itself, or its ReplicaSet (the workload's name and a hash without dashes).</summary>
    private static bool OwnedBy(string? owner, string workload) =>
        owner is not null && (owner == workload || (owner.StartsWith(workload + "-", StringComparison.Ordinal) && !owner[(workload.Length + 1)..].Contains('-', StringComparison.Ordinal)));

    private static WatchedPod Pod(JsonObject pod, IReadOnlyList<string> sourceImages, IReadOnlyList<string> targetImages, AppRollout rollout)
    {
        var image = (pod["spec"]?["containers"] as JsonArray)?.FirstOrDefault()?["image"]?.GetValue<string>() ?? "";
        var revision = targetImages.Contains(image) ? rollout.Spec.TargetAppRevisionName ?? "" : sourceImages.Contains(image) ? rollout.Spec.SourceAppRevisionName ?? "" : "?";
        var phase = pod["status"]?["phase"]?.GetValue<string>() ?? "Pending";
        var ready = (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
        var containers = pod["status"]?["containerStatuses"] as JsonArray ?? [];
        var waiting = containers.Select(c => c?["state"]?["waiting"]?["reason"]?.GetValue<string>()).FirstOrDefault(r => r is not null);
        // An image changed in place is not ready until the kubelet restarted the container with it, whatever the Ready
        // condition still says from before (Kruise gates readiness the same way while it updates a pod in place).
        var running = containers.FirstOrDefault()?["image"]?.GetValue<string>();
        var updating = running is not null && !SameImage(running, image);
        var health = phase == "Failed" || waiting is "CrashLoopBackOff" or "ImagePullBackOff" or "ErrImagePull" ? PodHealth.Failed
            : ready && !updating ? PodHealth.Ready
            : PodHealth.Progressing;
        var info = pod["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : waiting ?? (updating ? "Updating in place" : ready ? "Running" : phase);
        return new WatchedPod(pod["metadata"]?["name"]?.GetValue<string>() ?? "", revision, image, health, info);
    }

    /// <summary>
    /// Whether the image a container status reports is the one the spec names, as a kubelet writes it back: the same
    /// text, or with the registry (and library/) or the implied :latest filled in; a digest cannot be told apart, so counts as the same.
    /// </summary>
    internal static bool SameImage(string running, string spec)
    {
        if (running == spec || running.StartsWith("sha256:", StringComparison.Ordinal) || running.Contains('@', StringComparison.Ordinal) || spec.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        var tagged = spec.LastIndexOf(':') > spec.LastIndexOf('/') ? spec : spec + ":latest";
        return running == tagged || running.EndsWith("/" + tagged, StringComparison.Ordinal);
    }

    private static JsonObject? Rendered(IObjectReader cache, string ns, string? revision, string? component)
    {
        if (string.IsNullOrEmpty(revision))
        {
            return null;
        }

        var stored = cache.Get(ResourceKind.ApplicationRevision, ns, revision);
        var components = (stored?["spec"]?["components"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var chosen = components.FirstOrDefault(c => c["name"]?.GetValue<string>() == component) ?? (components.Count == 1 ? components[0] : null);
        return chosen?["workload"] as JsonObject;
    }

    private static IReadOnlyList<string> Images(JsonObject? workload) =>
        (workload?["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["image"]?.GetValue<string>() ?? "").ToList();

    private static string Kind(JsonObject workload) => workload["kind"]?.GetValue<string>() ?? "";

    private static string Name(JsonObject workload) => workload["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
}
