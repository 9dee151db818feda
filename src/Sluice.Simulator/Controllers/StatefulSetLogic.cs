using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The StatefulSet controller: pods named <c>name-ordinal</c>, labelled <c>controller-revision-hash</c> with
/// their revision's name; OrderedReady (one pod at a time, lowest ordinal first, each waiting for the ones
/// below to be ready; scale-down highest first) or Parallel; RollingUpdate deletes pods not on the update
/// revision from the highest ordinal down to <c>partition</c>, one at a time, each only when every pod is
/// ready (the controller recreates it on the new revision); OnDelete updates only pods someone deletes.
/// Pods below the partition are created on the current revision. currentRevision becomes updateRevision
/// once every pod runs it and is ready.
/// </summary>
internal static class StatefulSetLogic
{
    public const string RevisionLabel = "controller-revision-hash";

    public static StatefulSetPlan Plan(JsonObject sts, IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> revisions, DateTimeOffset now)
    {
        var status = sts["status"]?.DeepClone() as JsonObject ?? [];
        var collisions = Json.Long(status, "collisionCount") ?? 0;
        var update = Revisions.ForTemplate(sts, "apps/v1", "StatefulSet", revisions, collisions, out var createRevision);
        if (update is null)
        {
            status["collisionCount"] = collisions + 1;
            return new StatefulSetPlan(null, [], [], [], status, now);
        }
        var updateName = Json.Name(update);
        var current = Revisions.Current(status, revisions, pods, RevisionLabel) ?? update;
        var currentName = Json.Name(current);
        var replicas = Json.Int(sts, 1, "spec", "replicas");
        var minReady = Json.Int(sts, 0, "spec", "minReadySeconds");
        var ordered = Json.Str(sts, "spec", "podManagementPolicy") != "Parallel";
        var rolling = Json.Str(sts, "spec", "updateStrategy", "type") != "OnDelete";
        var partition = rolling ? Json.Int(sts, 0, "spec", "updateStrategy", "rollingUpdate", "partition") : 0;
        var byOrdinal = new SortedDictionary<int, JsonObject>();
        foreach (var pod in pods)
        {
            if (Ordinal(sts, pod) is { } ord)
            {
                byOrdinal[ord] = pod;
            }
        }

        var creates = new List<JsonObject>();
        var deletes = new List<JsonObject>();
        bool Healthy(JsonObject p) => Pods.IsActive(p) && Pods.IsAvailable(p, minReady, now);
        if (!Json.Deleting(sts))
        {
            var blocked = false;
            for (var ord = 0; ord < replicas && !blocked; ord++)
            {
                if (!byOrdinal.TryGetValue(ord, out var pod))
                {
                    var revision = rolling && ord < partition ? current : update;
                    creates.Add(NewPod(sts, ord, revision));
                    blocked = ordered;
                }
                else if (Json.Str(pod, "status", "phase") == "Failed")
                {
                    deletes.Add(pod);
                    blocked = ordered;
                }
                else if (!Healthy(pod))
                {
                    blocked = ordered;
                }
            }
            if (!blocked)
            {
                foreach (var (ord, pod) in byOrdinal.Reverse())
                {
                    if (ord < replicas || Json.Deleting(pod))
                    {
                        continue;
                    }
                    if (ordered && byOrdinal.Values.Any(p => !Healthy(p) && p != pod))
                    {
                        blocked = true;
                        break;
                    }
                    deletes.Add(pod);
                    if (ordered)
                    {
                        blocked = true;
                        break;
                    }
                }
            }
            if (!blocked && rolling && creates.Count == 0 && deletes.Count == 0)
            {
                for (var ord = replicas - 1; ord >= partition; ord--)
                {
                    if (!byOrdinal.TryGetValue(ord, out var pod))
                    {
                        break;
                    }
                    if (Json.Label(pod, RevisionLabel) != updateName && !Json.Deleting(pod))
                    {
                        deletes.Add(pod);
                        break;
                    }
                    if (!Healthy(pod))
                    {
                        break;
                    }
                }
            }
        }

        var active = pods.Where(Pods.IsActive).ToList();
        DateTimeOffset? wake = null;
        foreach (var pod in active)
        {
            wake = Pods.Earliest(wake, Pods.AvailableAt(pod, minReady, now));
        }
        var updated = active.Count(p => Json.Label(p, RevisionLabel) == updateName);
        var ready = active.Count(Pods.IsReady);
        if (updated == replicas && active.Count == replicas && ready == replicas)
        {
            currentName = updateName;
        }
        status["observedGeneration"] = Json.Generation(sts);
        status["replicas"] = active.Count;
        status["readyReplicas"] = ready;
        status["availableReplicas"] = active.Count(p => Pods.IsAvailable(p, minReady, now));
        status["currentReplicas"] = active.Count(p => Json.Label(p, RevisionLabel) == currentName);
        status["updatedReplicas"] = updated;
        status["currentRevision"] = currentName;
        status["updateRevision"] = updateName;
        status["collisionCount"] = collisions;

        var live = pods.Select(p => Json.Label(p, RevisionLabel)).Append(currentName).Append(updateName).ToHashSet();
        return new StatefulSetPlan(createRevision, Revisions.Expired(sts, revisions, live).ToList(), creates, deletes, status, wake);
    }

    public static int? Ordinal(JsonObject sts, JsonObject pod)
    {
        var prefix = Json.Name(sts) + "-";
        var name = Json.Name(pod);
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(name[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var ord) ? ord : null;
    }

    private static JsonObject NewPod(JsonObject sts, int ordinal, JsonObject revision)
    {
        var name = $"{Json.Name(sts)}-{ordinal}";
        var pod = Pods.FromTemplate(Revisions.Template(revision) ?? Json.At(sts, "spec", "template"), Json.Namespace(sts), name, null,
            Json.OwnerReference("apps/v1", "StatefulSet", sts), new Dictionary<string, string>
            {
                [RevisionLabel] = Json.Name(revision),
                ["statefulset.kubernetes.io/pod-name"] = name,
                ["apps.kubernetes.io/pod-index"] = Revisions.Text(ordinal),
            });
        var spec = (JsonObject)pod["spec"]!;
        spec["hostname"] = name;
        if (Json.Str(sts, "spec", "serviceName") is { Length: > 0 } service)
        {
            spec["subdomain"] = service;
        }
        return pod;
    }
}
