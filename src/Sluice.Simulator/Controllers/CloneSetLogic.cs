using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// OpenKruise's CloneSet controller (apps.kruise.io/v1alpha1). Pods are named <c>name-xxxxx</c> and labelled
/// <c>controller-revision-hash</c> with their revision's name. <c>partition</c> (a number, or a percent of
/// replicas rounded up) is how many pods stay on the current revision, so <c>expectedUpdatedReplicas =
/// replicas - partition</c>; raising it moves updated pods back. Updates respect <c>maxUnavailable</c>
/// (default 20%, rounded up) and stop while <c>paused</c>. InPlaceIfPossible and InPlaceOnly update a pod in
/// place (same name and uid: images, labels, annotations) when only those differ; otherwise (and with ReCreate)
/// the pod is deleted and a new one is created on the update revision. With <c>maxSurge</c> new pods may be
/// created above replicas before old ones go.
/// <para>
/// A pod counts as ready when its Ready condition is True and every container runs the image its spec asks
/// for, so a pod just updated in place is not counted as updated-ready before the kubelet restarted it.
/// </para>
/// </summary>
internal static class CloneSetLogic
{
    public const string ApiVersion = "apps.kruise.io/v1alpha1";
    public const string RevisionLabel = "controller-revision-hash";
    public const string InPlaceStateAnnotation = "apps.kruise.io/inplace-update-state";

    /// <param name="apiVersion">The owner's apiVersion on the pods and revisions (another kind with CloneSet semantics: a declared kind).</param>
    public static CloneSetPlan Plan(JsonObject cs, IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> revisions, DateTimeOffset now,
        string apiVersion = ApiVersion, string kind = "CloneSet")
    {
        var status = cs["status"]?.DeepClone() as JsonObject ?? [];
        var collisions = Json.Long(status, "collisionCount") ?? 0;
        var update = Revisions.ForTemplate(cs, apiVersion, kind, revisions, collisions, out var createRevision);
        if (update is null)
        {
            status["collisionCount"] = collisions + 1;
            return new CloneSetPlan(null, [], [], [], [], status, now);
        }
        var updateName = Json.Name(update);
        var current = Revisions.Current(status, revisions, pods, RevisionLabel) ?? update;
        var replicas = Json.Int(cs, 1, "spec", "replicas");
        var minReady = Json.Int(cs, 0, "spec", "minReadySeconds");
        var strategy = Json.At(cs, "spec", "updateStrategy");
        var type = Json.Str(strategy, "type") is { Length: > 0 } t ? t : "ReCreate";
        var partition = Math.Clamp(IntOrPercent.Scaled(Json.At(strategy, "partition"), replicas, true, 0), 0, replicas);
        var maxUnavailable = Math.Max(0, IntOrPercent.Scaled(Json.At(strategy, "maxUnavailable"), replicas, true, (replicas * 20 + 99) / 100));
        var maxSurge = Math.Max(0, IntOrPercent.Scaled(Json.At(strategy, "maxSurge"), replicas, true, 0));
        var paused = Json.Bool(strategy, "paused");
        var expectedUpdated = replicas - partition;

        var active = pods.Where(Pods.IsActive).ToList();
        bool IsUpdated(JsonObject p) => Json.Label(p, RevisionLabel) == updateName;
        bool Available(JsonObject p) => IsReady(p) && Pods.IsAvailable(p, minReady, now);
        var creates = new List<JsonObject>();
        var deletes = new List<JsonObject>();
        var inPlace = new List<JsonObject>();

        if (!Json.Deleting(cs))
        {
            var updated = active.Count(IsUpdated);
            var toUpdate = paused ? 0 : Math.Max(0, expectedUpdated - updated);
            var surge = type == "ReCreate" || !CanUpdateInPlace(active.Where(p => !IsUpdated(p)), revisions, update, type)
                ? Math.Min(maxSurge, toUpdate) : 0;
            var target = replicas + surge;
            if (active.Count < target)
            {
                var missing = target - active.Count;
                for (var i = 0; i < missing; i++)
                {
                    var revision = updated < expectedUpdated || current == update ? update : current;
                    creates.Add(NewPod(cs, revision, apiVersion, kind));
                    updated += revision == update ? 1 : 0;
                }
            }
            else if (active.Count > target)
            {
                var excess = active.Count - target;
                var overUpdated = updated > expectedUpdated;
                // A surge ends by deleting old pods, and only while enough pods stay available.
                var availableNow = active.Count(Available);
                var candidates = Pods.DeletionOrder(active).OrderBy(p => IsUpdated(p) == overUpdated ? 0 : 1).ToList();
                foreach (var pod in candidates.Take(excess))
                {
                    if (Available(pod) && availableNow - 1 < replicas - maxUnavailable && maxSurge > 0)
                    {
                        continue;
                    }
                    deletes.Add(pod);
                    availableNow -= Available(pod) ? 1 : 0;
                }
            }
            else if (!paused)
            {
                var unavailable = active.Count(p => !Available(p)) + Math.Max(0, replicas - active.Count);
                var budget = maxUnavailable + surge - unavailable;
                // Pods on the wrong revision, unavailable ones first (updating them costs no availability).
                var (wrong, revision, count) = updated < expectedUpdated ? (active.Where(p => !IsUpdated(p)), update, expectedUpdated - updated)
                    : updated > expectedUpdated && current != update ? (active.Where(IsUpdated), current, updated - expectedUpdated)
                    : ([], update, 0);
                foreach (var pod in wrong.OrderBy(p => Available(p) ? 1 : 0).ThenBy(Json.Name, StringComparer.Ordinal).Take(count))
                {
                    var costs = Available(pod);
                    if (costs && budget <= 0)
                    {
                        break;
                    }
                    var from = revisions.FirstOrDefault(r => Json.Name(r) == Json.Label(pod, RevisionLabel));
                    if (type != "ReCreate" && from is not null && OnlyInPlaceFields(Revisions.Template(from), Revisions.Template(revision)))
                    {
                        inPlace.Add(InPlace(pod, revision, now));
                    }
                    else if (type == "InPlaceOnly")
                    {
                        continue;
                    }
                    else
                    {
                        deletes.Add(pod);
                    }
                    budget -= costs ? 1 : 0;
                }
            }
        }

        DateTimeOffset? wake = null;
        foreach (var pod in active)
        {
            wake = Pods.Earliest(wake, Pods.AvailableAt(pod, minReady, now));
        }
        var updatedPods = active.Where(IsUpdated).ToList();
        var currentName = Json.Name(current);
        if (updatedPods.Count == replicas && active.Count == replicas)
        {
            currentName = updateName;
        }
        status["observedGeneration"] = Json.Generation(cs);
        status["replicas"] = active.Count;
        status["readyReplicas"] = active.Count(IsReady);
        status["availableReplicas"] = active.Count(Available);
        status["updatedReplicas"] = updatedPods.Count;
        status["updatedReadyReplicas"] = updatedPods.Count(IsReady);
        status["updatedAvailableReplicas"] = updatedPods.Count(Available);
        status["expectedUpdatedReplicas"] = expectedUpdated;
        status["updateRevision"] = updateName;
        status["currentRevision"] = currentName;
        status["collisionCount"] = collisions;
        status["labelSelector"] = Selector(cs);

        var live = pods.Select(p => Json.Label(p, RevisionLabel)).Append(currentName).Append(updateName).ToHashSet();
        return new CloneSetPlan(createRevision, Revisions.Expired(cs, revisions, live).ToList(), creates, deletes, inPlace, status, wake);
    }

    /// <summary>Ready, and every container already runs the image its spec names (an in-place update has been picked up).</summary>
    public static bool IsReady(JsonObject pod)
    {
        if (!Pods.IsReady(pod))
        {
            return false;
        }
        var running = (Json.At(pod, "status", "containerStatuses") as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(c => Json.Str(c, "name"), c => Json.Str(c, "image"));
        return (Json.At(pod, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>()
            .All(c => running.TryGetValue(Json.Str(c, "name"), out var image) && image == Json.Str(c, "image"));
    }

    /// <summary>Two templates differ at most in container images and in metadata labels and annotations.</summary>
    public static bool OnlyInPlaceFields(JsonNode? from, JsonNode? to)
    {
        static string Strip(JsonNode? template)
        {
            var copy = template?.DeepClone() as JsonObject ?? [];
            if (copy["metadata"] is JsonObject metadata)
            {
                metadata.Remove("labels");
                metadata.Remove("annotations");
            }
            foreach (var container in (Json.At(copy, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>())
            {
                container.Remove("image");
            }
            return Json.Canonical(copy);
        }
        return Strip(from) == Strip(to);
    }

    private static bool CanUpdateInPlace(IEnumerable<JsonObject> olds, IReadOnlyList<JsonObject> revisions, JsonObject update, string type) =>
        type != "ReCreate" && olds.All(p => revisions.FirstOrDefault(r => Json.Name(r) == Json.Label(p, RevisionLabel)) is { } from
            && OnlyInPlaceFields(Revisions.Template(from), Revisions.Template(update)));

    private static JsonObject InPlace(JsonObject pod, JsonObject revision, DateTimeOffset now)
    {
        var next = (JsonObject)pod.DeepClone();
        var template = Revisions.Template(revision);
        var images = (Json.At(template, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(c => Json.Str(c, "name"), c => Json.Str(c, "image"));
        foreach (var container in (Json.At(next, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (images.TryGetValue(Json.Str(container, "name"), out var image))
            {
                container["image"] = image;
            }
        }
        var from = Json.Label(pod, RevisionLabel);
        var metadata = Json.Ensure(next, "metadata");
        var labels = Json.At(template, "metadata", "labels")?.DeepClone() as JsonObject ?? [];
        labels[RevisionLabel] = Json.Name(revision);
        metadata["labels"] = labels;
        var annotations = Json.At(template, "metadata", "annotations")?.DeepClone() as JsonObject ?? [];
        annotations[InPlaceStateAnnotation] = new JsonObject
        {
            ["revision"] = Json.Name(revision),
            ["updateTimestamp"] = Json.Timestamp(now),
            ["fromRevision"] = from,
        }.ToJsonString();
        metadata["annotations"] = annotations;
        return next;
    }

    private static JsonObject NewPod(JsonObject cs, JsonObject revision, string apiVersion, string kind) =>
        Pods.FromTemplate(Revisions.Template(revision) ?? Json.At(cs, "spec", "template"), Json.Namespace(cs), null, Json.Name(cs) + "-",
            Json.OwnerReference(apiVersion, kind, cs), new Dictionary<string, string> { [RevisionLabel] = Json.Name(revision) });

    private static string Selector(JsonObject cs) =>
        string.Join(",", (Json.At(cs, "spec", "selector", "matchLabels") as JsonObject ?? []).Select(p => $"{p.Key}={p.Value}"));
}
