using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The controller of a declared in-place kind (<see cref="DeclaredKind"/>): the object is read through its declared paths
/// as the CloneSet it behaves like (replicas, template, a partition counted from the top, or converted when it counts
/// from the bottom, pause, maxUnavailable), <see cref="CloneSetLogic"/> plans the pods, and the counts go back to the
/// declared status paths. Pods are recreated on the new revision (ReCreate), owned by the object.
/// </summary>
internal static class DeclaredKindLogic
{
    public static CloneSetPlan Plan(DeclaredKind kind, JsonObject obj, IReadOnlyList<JsonObject> pods, IReadOnlyList<JsonObject> revisions, DateTimeOffset now)
    {
        var replicas = Json.Int(obj, 1, kind.Replicas);
        var partition = Json.At(obj, kind.Partition);
        var strategy = new JsonObject { ["type"] = "ReCreate" };
        if (partition is not null)
        {
            strategy["partition"] = kind.CountsFromTop
                ? partition.DeepClone()
                : Math.Max(0, replicas - Math.Clamp(IntOrPercent.Scaled(partition, replicas, true, replicas), 0, replicas));
        }
        if (kind.Paused is { } paused)
        {
            strategy["paused"] = Json.Bool(obj, paused);
        }
        if (kind.MaxUnavailable is { } max && Json.At(obj, max) is { } maxUnavailable)
        {
            strategy["maxUnavailable"] = maxUnavailable.DeepClone();
        }
        var view = new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind,
            ["metadata"] = obj["metadata"]?.DeepClone(),
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["template"] = Json.At(obj, kind.Template)?.DeepClone(),
                ["updateStrategy"] = strategy,
                ["selector"] = Json.At(obj, "spec", "selector")?.DeepClone(),
            },
        };
        var plan = CloneSetLogic.Plan(view, pods, revisions, now, kind.ApiVersion, kind.Kind);

        // Only the declared counts are written, into what the object's status already holds (a CRD's schema prunes the rest).
        var status = obj["status"]?.DeepClone() as JsonObject ?? [];
        foreach (var (field, path) in kind.Status)
        {
            if (plan.Status[field] is { } value)
            {
                var parent = path.Length == 2 ? status : Json.Ensure(status, path[1..^1]);
                parent[path[^1]] = value.DeepClone();
            }
        }
        return plan with { Status = status };
    }
}
