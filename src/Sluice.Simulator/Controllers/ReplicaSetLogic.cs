using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The ReplicaSet controller: keep <c>spec.replicas</c> active pods (creating at most 500 per pass,
/// deleting the most expendable first) and report replicas, fullyLabeledReplicas, readyReplicas,
/// availableReplicas (ready for minReadySeconds) and observedGeneration. As in kube-controller-manager,
/// the status describes the pods seen before this pass's changes; their watch events bring the next pass.
/// </summary>
internal static class ReplicaSetLogic
{
    public const int BurstReplicas = 500;

    public static ReplicaSetPlan Plan(JsonObject rs, IReadOnlyList<JsonObject> pods, DateTimeOffset now)
    {
        var active = pods.Where(Pods.IsActive).ToList();
        var replicas = Json.Int(rs, 1, "spec", "replicas");
        var minReady = Json.Int(rs, 0, "spec", "minReadySeconds");
        var create = new List<JsonObject>();
        var delete = new List<JsonObject>();
        if (!Json.Deleting(rs))
        {
            var diff = active.Count - replicas;
            if (diff < 0)
            {
                var owner = Json.OwnerReference("apps/v1", "ReplicaSet", rs);
                for (var i = 0; i < Math.Min(-diff, BurstReplicas); i++)
                {
                    create.Add(Pods.FromTemplate(rs["spec"]?["template"], Json.Namespace(rs), null, Json.Name(rs) + "-", owner,
                        new Dictionary<string, string>()));
                }
            }
            else if (diff > 0)
            {
                delete.AddRange(Pods.DeletionOrder(active).Take(Math.Min(diff, BurstReplicas)));
            }
        }
        DateTimeOffset? wake = null;
        foreach (var pod in active)
        {
            wake = Pods.Earliest(wake, Pods.AvailableAt(pod, minReady, now));
        }
        var status = rs["status"]?.DeepClone() as JsonObject ?? [];
        status["replicas"] = active.Count;
        status["fullyLabeledReplicas"] = active.Count;
        status["readyReplicas"] = active.Count(Pods.IsReady);
        status["availableReplicas"] = active.Count(p => Pods.IsAvailable(p, minReady, now));
        status["observedGeneration"] = Json.Generation(rs);
        return new ReplicaSetPlan(create, delete, status, wake);
    }
}
