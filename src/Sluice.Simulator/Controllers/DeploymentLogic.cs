using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The Deployment controller, one level-triggered pass at a time, after kube-controller-manager:
/// a ReplicaSet per pod-template hash (named <c>deployment-hash</c>, labelled <c>pod-template-hash</c>);
/// RollingUpdate bounded by maxSurge (rounded up) and maxUnavailable (rounded down; 1 when both are 0);
/// Recreate (old pods gone before new ones start); <c>paused</c> (scaling only, no new ReplicaSet);
/// proportional scaling when <c>spec.replicas</c> changes mid-rollout; revision annotations;
/// <c>revisionHistoryLimit</c>; the Available and Progressing conditions with <c>progressDeadlineSeconds</c>.
/// <para>
/// Worked example (10 replicas, 25%/25%): surge 3, unavailable 2, so at most 13 pods are asked for and
/// old ReplicaSets are scaled down only while 8 pods stay available.
/// </para>
/// </summary>
internal static class DeploymentLogic
{
    public const string HashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string DesiredAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxAnnotation = "deployment.kubernetes.io/max-replicas";

    /// <param name="terminating">
    /// The uids of owned ReplicaSets that still have pods terminating: Recreate starts the new pods only once the old
    /// ones are gone, terminating ones included, as kube-controller-manager waits for them (RollingUpdate does not count them).
    /// </param>
    public static DeploymentPlan Plan(JsonObject d, IReadOnlyList<JsonObject> owned, DateTimeOffset now, IReadOnlySet<string>? terminating = null)
    {
        terminating ??= new HashSet<string>();
        bool OldPodsLeft(JsonObject rs) => Json.Int(rs, 0, "status", "replicas") > 0 || terminating.Contains(Json.Uid(rs));
        var originals = owned.Where(rs => !Json.Deleting(rs)).ToDictionary(Json.Name, Json.Canonical);
        var work = owned.Where(rs => !Json.Deleting(rs)).Select(rs => (JsonObject)rs.DeepClone()).ToList();
        var replicas = Json.Int(d, 1, "spec", "replicas");
        var template = Json.At(d, "spec", "template");
        var paused = Json.Bool(d, "spec", "paused");
        var recreate = Json.Str(d, "spec", "strategy", "type") == "Recreate";
        var (surge, maxUnavailable) = Fenceposts(d, replicas);
        var status = d["status"]?.DeepClone() as JsonObject ?? [];
        var oldStatus = d["status"] as JsonObject ?? [];
        var newRs = work.Where(rs => SameTemplate(rs, template)).OrderBy(Created).FirstOrDefault();
        var olds = work.Where(rs => rs != newRs).ToList();
        JsonObject? created = null;
        var deletes = new List<JsonObject>();

        if (!Json.Deleting(d))
        {
            var maxOldRevision = olds.Select(Revision).DefaultIfEmpty(0).Max();
            if (!paused && newRs is null)
            {
                var collisions = Json.Long(status, "collisionCount") ?? 0;
                var hash = TemplateHash.Compute(template, collisions);
                var name = $"{Json.Name(d)}-{hash}";
                if (owned.Any(rs => Json.Name(rs) == name))
                {
                    status["collisionCount"] = collisions + 1;
                    return new DeploymentPlan(null, [], [], null, status, now);
                }
                var startWith = recreate
                    ? olds.Any(rs => Spec(rs) > 0 || OldPodsLeft(rs)) ? 0 : replicas
                    : NewReplicas(replicas, surge, olds.Sum(Footprint), 0, 0);
                newRs = NewReplicaSet(d, hash, startWith, maxOldRevision + 1, surge);
                created = newRs;
                work.Add(newRs);
            }
            else if (newRs is not null && Revision(newRs) <= maxOldRevision)
            {
                Annotate(newRs, RevisionAnnotation, (maxOldRevision + 1).ToString(CultureInfo.InvariantCulture));
            }

            if (paused || IsScalingEvent(work, replicas))
            {
                Scale(work, newRs, replicas, recreate ? 0 : surge, recreate);
            }
            else if (recreate)
            {
                RolloutRecreate(newRs, olds, replicas, surge, OldPodsLeft);
            }
            else
            {
                RolloutRolling(newRs, olds, replicas, surge, maxUnavailable);
            }
        }

        // Status, from the ReplicaSets' own status.
        var generation = Json.Generation(d);
        var total = work.Sum(rs => Json.Int(rs, 0, "status", "replicas"));
        var updated = newRs is null ? 0 : Json.Int(newRs, 0, "status", "replicas");
        var ready = work.Sum(rs => Json.Int(rs, 0, "status", "readyReplicas"));
        var available = work.Sum(rs => Json.Int(rs, 0, "status", "availableReplicas"));
        status["observedGeneration"] = generation;
        status["replicas"] = total;
        status["updatedReplicas"] = updated;
        status["readyReplicas"] = ready;
        status["availableReplicas"] = available;
        status["unavailableReplicas"] = Math.Max(0, work.Sum(Spec) - available);
        if (available >= replicas - (recreate ? 0 : maxUnavailable))
        {
            Conditions.Set(status, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now, true);
        }
        else
        {
            Conditions.Set(status, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, true);
        }
        var complete = updated == replicas && total == replicas && available == replicas;
        var wake = Progress(d, status, oldStatus, newRs, created is not null, paused, complete, now);
        if (complete || paused)
        {
            deletes.AddRange(Cleanup(d, olds));
        }

        var updates = work.Where(rs => rs != created && !deletes.Contains(rs) && originals.TryGetValue(Json.Name(rs), out var was) && was != Json.Canonical(rs)).ToList();
        var revision = newRs is null ? null : Json.Annotation(newRs, RevisionAnnotation);
        return new DeploymentPlan(created, updates, deletes, revision == Json.Annotation(d, RevisionAnnotation) ? null : revision, status, wake);
    }

    /// <summary>maxSurge rounded up and maxUnavailable rounded down against the replicas; both 0 means 1 unavailable.</summary>
    public static (int Surge, int Unavailable) Fenceposts(JsonObject d, int replicas)
    {
        if (Json.Str(d, "spec", "strategy", "type") == "Recreate")
        {
            return (0, 0);
        }
        var rolling = Json.At(d, "spec", "strategy", "rollingUpdate");
        var surge = IntOrPercent.Scaled(Json.At(rolling, "maxSurge"), replicas, true, (replicas * 25 + 99) / 100);
        var unavailable = IntOrPercent.Scaled(Json.At(rolling, "maxUnavailable"), replicas, false, replicas * 25 / 100);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, Math.Min(unavailable, replicas));
    }

    /// <summary>
    /// How far the new ReplicaSet may grow: up to replicas + surge pods in total, counting for each ReplicaSet
    /// the larger of the pods asked for and the pods it still has (<paramref name="oldFootprint"/>,
    /// <paramref name="newFootprint"/>), so that pods of a ReplicaSet being scaled down count until they are gone.
    /// Examples (10 replicas, surge 3): old at 10, new at 0: 3. Old asked down to 8 but still with 10 pods, new at 3: 3.
    /// Old down to 8 with 8 pods, new at 3: 5.
    /// </summary>
    public static int NewReplicas(int replicas, int surge, int oldFootprint, int newSpec, int newFootprint)
    {
        var current = oldFootprint + Math.Max(newSpec, newFootprint);
        var max = replicas + surge;
        if (current >= max)
        {
            return newSpec;
        }
        return newSpec + Math.Min(max - current, Math.Max(0, replicas - newSpec));
    }

    private static void RolloutRolling(JsonObject? newRs, List<JsonObject> olds, int replicas, int surge, int maxUnavailable)
    {
        if (newRs is not null)
        {
            var target = Spec(newRs) > replicas ? replicas : NewReplicas(replicas, surge, olds.Sum(Footprint), Spec(newRs), Footprint(newRs));
            if (target != Spec(newRs))
            {
                var scaledUp = target > Spec(newRs);
                SetReplicas(newRs, target, replicas, surge);
                if (scaledUp)
                {
                    return;
                }
            }
        }
        if (olds.Sum(Spec) == 0)
        {
            return;
        }
        var all = olds.Sum(Spec) + (newRs is null ? 0 : Spec(newRs));
        var minAvailable = replicas - maxUnavailable;
        var newUnavailable = newRs is null ? 0 : Spec(newRs) - Json.Int(newRs, 0, "status", "availableReplicas");
        var maxScaledDown = all - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return;
        }
        // First drop old pods that are not available anyway, oldest ReplicaSet first.
        var cleaned = 0;
        foreach (var rs in olds.OrderBy(Created))
        {
            if (cleaned >= maxScaledDown)
            {
                break;
            }
            var unhealthy = Spec(rs) - Json.Int(rs, 0, "status", "availableReplicas");
            if (Spec(rs) == 0 || unhealthy <= 0)
            {
                continue;
            }
            var drop = Math.Min(unhealthy, maxScaledDown - cleaned);
            SetReplicas(rs, Spec(rs) - drop, replicas, surge);
            cleaned += drop;
        }
        // Then scale down available old pods while enough stay available.
        var availableTotal = olds.Concat(newRs is null ? [] : [newRs]).Sum(rs => Math.Min(Spec(rs), Json.Int(rs, 0, "status", "availableReplicas")));
        var budget = Math.Min(availableTotal - minAvailable, maxScaledDown - cleaned);
        foreach (var rs in olds.OrderBy(Created))
        {
            if (budget <= 0)
            {
                break;
            }
            if (Spec(rs) == 0)
            {
                continue;
            }
            var drop = Math.Min(Spec(rs), budget);
            SetReplicas(rs, Spec(rs) - drop, replicas, surge);
            budget -= drop;
        }
    }

    private static void RolloutRecreate(JsonObject? newRs, List<JsonObject> olds, int replicas, int surge, Func<JsonObject, bool> oldPodsLeft)
    {
        var active = olds.Where(rs => Spec(rs) > 0).ToList();
        foreach (var rs in active)
        {
            SetReplicas(rs, 0, replicas, surge);
        }
        if (active.Count > 0 || olds.Any(oldPodsLeft))
        {
            return;
        }
        if (newRs is not null && Spec(newRs) != replicas)
        {
            SetReplicas(newRs, replicas, replicas, surge);
        }
    }

    /// <summary>A scaling event: some active ReplicaSet was sized for another replica count than the Deployment's.</summary>
    private static bool IsScalingEvent(List<JsonObject> work, int replicas) =>
        work.Where(rs => Spec(rs) > 0).Any(rs =>
            int.TryParse(Json.Annotation(rs, DesiredAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var desired) && desired != replicas);

    /// <summary>
    /// Scaling without rolling (paused, or replicas changed): one active ReplicaSet takes the whole count; a saturated
    /// new ReplicaSet retires the old ones; otherwise the change is shared in proportion to the ReplicaSets' sizes.
    /// </summary>
    private static void Scale(List<JsonObject> work, JsonObject? newRs, int replicas, int surge, bool recreate)
    {
        var active = work.Where(rs => Spec(rs) > 0).ToList();
        if (active.Count <= 1)
        {
            var target = active.FirstOrDefault() ?? newRs ?? work.OrderByDescending(Created).FirstOrDefault();
            if (target is not null)
            {
                SetReplicas(target, replicas, replicas, surge);
            }
            return;
        }
        if (newRs is not null && Spec(newRs) == replicas && Json.Int(newRs, 0, "status", "availableReplicas") == replicas)
        {
            foreach (var rs in work.Where(rs => rs != newRs))
            {
                SetReplicas(rs, 0, replicas, surge);
            }
            return;
        }
        if (recreate)
        {
            return;
        }
        var allowed = replicas == 0 ? 0 : replicas + surge;
        var current = active.Sum(Spec);
        var toAdd = allowed - current;
        var ordered = toAdd > 0 ? active.OrderByDescending(Spec).ThenByDescending(Created).ToList() : active.OrderBy(Spec).ThenBy(Created).ToList();
        var shares = ordered.ToDictionary(rs => rs, rs => (int)((long)toAdd * Spec(rs) / Math.Max(1, current)));
        var leftover = toAdd - shares.Values.Sum();
        if (ordered.Count > 0)
        {
            shares[ordered[0]] += leftover;
        }
        foreach (var rs in ordered)
        {
            SetReplicas(rs, Math.Max(0, Spec(rs) + shares[rs]), replicas, surge);
        }
    }

    private static DateTimeOffset? Progress(JsonObject d, JsonObject status, JsonObject oldStatus, JsonObject? newRs, bool created,
        bool paused, bool complete, DateTimeOffset now)
    {
        var deadline = Json.Int(d, 600, "spec", "progressDeadlineSeconds");
        var name = newRs is null ? "" : Json.Name(newRs);
        var current = Conditions.Find(status, "Progressing");
        if (paused)
        {
            if (Json.Str(current, "reason") != "DeploymentPaused")
            {
                Conditions.Set(status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, true);
            }
            return null;
        }
        if (Json.Str(current, "reason") == "DeploymentPaused")
        {
            Conditions.Set(status, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now, true);
            current = Conditions.Find(status, "Progressing");
        }
        var oldOld = Json.Int(oldStatus, 0, "replicas") - Json.Int(oldStatus, 0, "updatedReplicas");
        var newOld = Json.Int(status, 0, "replicas") - Json.Int(status, 0, "updatedReplicas");
        var progressing = Json.Int(status, 0, "updatedReplicas") > Json.Int(oldStatus, 0, "updatedReplicas")
            || Json.Int(status, 0, "readyReplicas") > Json.Int(oldStatus, 0, "readyReplicas")
            || Json.Int(status, 0, "availableReplicas") > Json.Int(oldStatus, 0, "availableReplicas")
            || newOld < oldOld;
        if (created)
        {
            Conditions.Touch(status, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{name}\"", now);
        }
        else if (complete)
        {
            Conditions.Set(status, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{name}\" has successfully progressed.", now, true);
            return null;
        }
        else if (progressing)
        {
            Conditions.Touch(status, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{name}\" is progressing.", now);
        }
        else if (current is null)
        {
            Conditions.Touch(status, "Progressing", "True", "FoundNewReplicaSet", $"Found new replica set \"{name}\"", now);
        }
        else if (Json.Str(current, "reason") is not ("NewReplicaSetAvailable" or "ProgressDeadlineExceeded")
            && (Json.Time(current, "lastUpdateTime") ?? now).AddSeconds(deadline) <= now)
        {
            Conditions.Set(status, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{name}\" has timed out progressing.", now, true);
            return null;
        }
        var latest = Conditions.Find(status, "Progressing");
        return Json.Str(latest, "status") == "False" ? null : (Json.Time(latest, "lastUpdateTime") ?? now).AddSeconds(deadline);
    }

    /// <summary>Old ReplicaSets with no pods beyond revisionHistoryLimit (default 10), oldest revision first.</summary>
    private static IEnumerable<JsonObject> Cleanup(JsonObject d, List<JsonObject> olds)
    {
        var limit = Json.Int(d, 10, "spec", "revisionHistoryLimit");
        var idle = olds.Where(rs => Spec(rs) == 0 && Json.Int(rs, 0, "status", "replicas") == 0).OrderBy(Revision).ThenBy(Created).ToList();
        return idle.Take(Math.Max(0, idle.Count - limit));
    }

    private static JsonObject NewReplicaSet(JsonObject d, string hash, int replicas, long revision, int surge)
    {
        var template = (JsonObject)(Json.At(d, "spec", "template")?.DeepClone() ?? new JsonObject());
        Json.Ensure(template, "metadata", "labels")[HashLabel] = hash;
        var selector = (JsonObject)(Json.At(d, "spec", "selector")?.DeepClone() ?? new JsonObject());
        Json.Ensure(selector, "matchLabels")[HashLabel] = hash;
        var labels = (JsonObject)(Json.At(d, "spec", "template", "metadata", "labels")?.DeepClone() ?? new JsonObject());
        labels[HashLabel] = hash;
        var deploymentReplicas = Json.Int(d, 1, "spec", "replicas");
        var spec = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = template };
        if (Json.Long(d, "spec", "minReadySeconds") is { } minReady)
        {
            spec["minReadySeconds"] = minReady;
        }
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{Json.Name(d)}-{hash}",
                ["namespace"] = Json.Namespace(d),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                    [DesiredAnnotation] = deploymentReplicas.ToString(CultureInfo.InvariantCulture),
                    [MaxAnnotation] = (deploymentReplicas + surge).ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(Json.OwnerReference("apps/v1", "Deployment", d)),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>The ReplicaSet runs the Deployment's template (ignoring the pod-template-hash label).</summary>
    public static bool SameTemplate(JsonObject rs, JsonNode? template)
    {
        var mine = Json.At(rs, "spec", "template")?.DeepClone() as JsonObject ?? [];
        if (Json.At(mine, "metadata", "labels") is JsonObject labels)
        {
            labels.Remove(HashLabel);
            if (labels.Count == 0)
            {
                ((JsonObject)mine["metadata"]!).Remove("labels");
            }
        }
        if (mine["metadata"] is JsonObject { Count: 0 })
        {
            mine.Remove("metadata");
        }
        var theirs = template?.DeepClone() as JsonObject ?? [];
        if (Json.At(theirs, "metadata", "labels") is JsonObject { Count: 0 })
        {
            ((JsonObject)theirs["metadata"]!).Remove("labels");
        }
        if (theirs["metadata"] is JsonObject { Count: 0 })
        {
            theirs.Remove("metadata");
        }
        return Json.Canonical(mine) == Json.Canonical(theirs);
    }

    private static void SetReplicas(JsonObject rs, int count, int deploymentReplicas, int surge)
    {
        Json.Ensure(rs, "spec")["replicas"] = count;
        Annotate(rs, DesiredAnnotation, deploymentReplicas.ToString(CultureInfo.InvariantCulture));
        Annotate(rs, MaxAnnotation, (deploymentReplicas + surge).ToString(CultureInfo.InvariantCulture));
    }

    private static void Annotate(JsonObject obj, string key, string value) => Json.Ensure(obj, "metadata", "annotations")[key] = value;

    private static int Spec(JsonObject rs) => Json.Int(rs, 1, "spec", "replicas");

    /// <summary>The pods a ReplicaSet may have right now: what it asks for, or more while a scale-down is under way.</summary>
    private static int Footprint(JsonObject rs) => Math.Max(Spec(rs), Json.Int(rs, 0, "status", "replicas"));

    private static long Revision(JsonObject rs) =>
        long.TryParse(Json.Annotation(rs, RevisionAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static DateTimeOffset Created(JsonObject rs) => Json.Time(rs, "metadata", "creationTimestamp") ?? DateTimeOffset.MaxValue;
}
