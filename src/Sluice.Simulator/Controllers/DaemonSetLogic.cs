using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The DaemonSet controller: one pod per node (bound with <c>spec.nodeName</c>), labelled
/// <c>controller-revision-hash</c> with the template hash and <c>pod-template-generation</c>. Missing pods are
/// created from the current template. RollingUpdate with maxSurge 0 deletes old pods (already unavailable
/// ones first) while at most maxUnavailable nodes lack an available pod, and the next pass recreates them;
/// with maxSurge &gt; 0 it starts the new pod beside the old one (on at most maxSurge nodes) and deletes the old
/// pod once the new one is available. OnDelete replaces only the pods someone deletes.
/// </summary>
internal static class DaemonSetLogic
{
    public static DaemonSetPlan Plan(JsonObject ds, IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> revisions,
        IReadOnlyList<string> nodes, DateTimeOffset now)
    {
        var status = ds["status"]?.DeepClone() as JsonObject ?? [];
        var collisions = Json.Long(status, "collisionCount") ?? 0;
        var update = Revisions.ForTemplate(ds, "apps/v1", "DaemonSet", revisions, collisions, out var createRevision);
        if (update is null)
        {
            status["collisionCount"] = collisions + 1;
            return new DaemonSetPlan(null, [], [], [], status, now);
        }
        var hash = Revisions.Hash(update);
        var minReady = Json.Int(ds, 0, "spec", "minReadySeconds");
        var active = pods.Where(Pods.IsActive).ToList();
        var byNode = active.GroupBy(p => Json.Str(p, "spec", "nodeName")).ToDictionary(g => g.Key, g => g.ToList());
        var nodeSet = nodes.ToHashSet();
        bool IsNew(JsonObject p) => Json.Label(p, StatefulSetLogic.RevisionLabel) == hash;
        bool Available(JsonObject p) => Pods.IsAvailable(p, minReady, now);

        var creates = new List<JsonObject>();
        var deletes = new List<JsonObject>();
        if (!Json.Deleting(ds))
        {
            var rolling = Json.Str(ds, "spec", "updateStrategy", "type") != "OnDelete";
            var desired = nodes.Count;
            var rollingUpdate = Json.At(ds, "spec", "updateStrategy", "rollingUpdate");
            var maxSurge = rolling ? IntOrPercent.Scaled(Json.At(rollingUpdate, "maxSurge"), desired, true, 0) : 0;
            var maxUnavailable = rolling ? IntOrPercent.Scaled(Json.At(rollingUpdate, "maxUnavailable"), desired, true, 1) : 0;
            if (maxSurge == 0 && maxUnavailable == 0)
            {
                maxUnavailable = 1;
            }
            foreach (var (node, onNode) in byNode)
            {
                if (!nodeSet.Contains(node))
                {
                    deletes.AddRange(onNode);
                }
            }
            var oldNodes = new List<(string Node, JsonObject Old, JsonObject? New)>();
            foreach (var node in nodes)
            {
                var onNode = byNode.GetValueOrDefault(node) ?? [];
                if (onNode.Count == 0)
                {
                    creates.Add(NewPod(ds, node, update, hash));
                    continue;
                }
                var newest = onNode.Where(IsNew).OrderBy(p => Json.Time(p, "metadata", "creationTimestamp") ?? now).ToList();
                var olds = onNode.Where(p => !IsNew(p)).OrderBy(p => Json.Time(p, "metadata", "creationTimestamp") ?? now).ToList();
                // Duplicates: keep one pod of each kind at most (the oldest).
                deletes.AddRange(newest.Skip(1));
                deletes.AddRange(olds.Skip(1));
                if (olds.Count > 0)
                {
                    oldNodes.Add((node, olds[0], newest.FirstOrDefault()));
                }
            }
            if (rolling && creates.Count == 0)
            {
                if (maxSurge == 0)
                {
                    var unavailable = nodes.Count(n => !(byNode.GetValueOrDefault(n) ?? []).Any(Available));
                    foreach (var (_, old, _) in oldNodes.Where(o => !Available(o.Old)))
                    {
                        deletes.Add(old);
                    }
                    foreach (var (_, old, _) in oldNodes.Where(o => Available(o.Old)))
                    {
                        if (unavailable >= maxUnavailable)
                        {
                            break;
                        }
                        deletes.Add(old);
                        unavailable++;
                    }
                }
                else
                {
                    var surging = oldNodes.Count(o => o.New is not null);
                    foreach (var (node, old, fresh) in oldNodes)
                    {
                        if (fresh is not null)
                        {
                            if (Available(fresh))
                            {
                                deletes.Add(old);
                            }
                        }
                        else if (!Available(old))
                        {
                            deletes.Add(old);
                        }
                        else if (surging < maxSurge)
                        {
                            creates.Add(NewPod(ds, node, update, hash));
                            surging++;
                        }
                    }
                }
            }
        }

        DateTimeOffset? wake = null;
        foreach (var pod in active)
        {
            wake = Pods.Earliest(wake, Pods.AvailableAt(pod, minReady, now));
        }
        var scheduled = nodes.Where(n => byNode.ContainsKey(n)).ToList();
        var available = nodes.Count(n => (byNode.GetValueOrDefault(n) ?? []).Any(Available));
        status["observedGeneration"] = Json.Generation(ds);
        status["desiredNumberScheduled"] = nodes.Count;
        status["currentNumberScheduled"] = scheduled.Count;
        status["numberMisscheduled"] = byNode.Keys.Count(n => !nodeSet.Contains(n));
        status["numberReady"] = nodes.Count(n => (byNode.GetValueOrDefault(n) ?? []).Any(Pods.IsReady));
        status["numberAvailable"] = available;
        status["numberUnavailable"] = nodes.Count - available;
        status["updatedNumberScheduled"] = nodes.Count(n => (byNode.GetValueOrDefault(n) ?? []).Any(IsNew));
        status["collisionCount"] = collisions;

        var live = pods.Select(p => $"{Json.Name(ds)}-{Json.Label(p, StatefulSetLogic.RevisionLabel)}").Append(Json.Name(update)).ToHashSet();
        return new DaemonSetPlan(createRevision, Revisions.Expired(ds, revisions, live).ToList(), creates, deletes, status, wake);
    }

    private static JsonObject NewPod(JsonObject ds, string node, JsonObject revision, string hash) =>
        Pods.FromTemplate(Revisions.Template(revision) ?? Json.At(ds, "spec", "template"), Json.Namespace(ds), null, Json.Name(ds) + "-",
            Json.OwnerReference("apps/v1", "DaemonSet", ds), new Dictionary<string, string>
            {
                [StatefulSetLogic.RevisionLabel] = hash,
                ["pod-template-generation"] = Revisions.Text(Json.Generation(ds)),
            }, node);
}
