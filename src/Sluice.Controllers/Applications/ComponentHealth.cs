using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Applications;

/// <summary>
/// Whether a component's workload is healthy, from its status as its controller reports it (KubeVela's
/// <c>status.services[].healthy</c>), with a short message such as <c>Ready:3/5</c>.
/// </summary>
public static class ComponentHealth
{
    public static (bool Healthy, string Message) Of(JsonObject? workload, string what)
    {
        if (workload is null)
        {
            return (false, $"{what} does not exist yet");
        }
        var kind = JsonPath.String(workload, "kind");
        var generation = JsonPath.Long(workload, "metadata.generation");
        var observed = JsonPath.Get(workload, "status.observedGeneration") is null ? (long?)null : JsonPath.Long(workload, "status.observedGeneration");
        var settled = observed is null || observed >= generation;
        switch (kind)
        {
            case "Deployment" or "StatefulSet" or "CloneSet" or "ReplicaSet":
                var desired = JsonPath.Int(workload, "spec.replicas", 1);
                var ready = JsonPath.Int(workload, "status.readyReplicas");
                var updated = JsonPath.Get(workload, "status.updatedReplicas") is null ? ready : JsonPath.Int(workload, "status.updatedReplicas");
                var message = $"Ready:{ready.ToString(CultureInfo.InvariantCulture)}/{desired.ToString(CultureInfo.InvariantCulture)}";
                return (settled && ready >= desired && updated >= Math.Min(desired, ready) && JsonPath.Get(workload, "status") is not null, message);
            case "DaemonSet":
                var scheduled = JsonPath.Int(workload, "status.desiredNumberScheduled");
                var readyNodes = JsonPath.Int(workload, "status.numberReady");
                return (settled && JsonPath.Get(workload, "status") is not null && readyNodes >= scheduled, $"Ready:{readyNodes.ToString(CultureInfo.InvariantCulture)}/{scheduled.ToString(CultureInfo.InvariantCulture)}");
            case "Job":
                var conditions = JsonPath.Get(workload, "status.conditions") as JsonArray ?? [];
                bool Has(string type) => conditions.OfType<JsonObject>().Any(c => JsonPath.String(c, "type") == type && JsonPath.String(c, "status") == "True");
                if (Has("Failed"))
                {
                    return (false, "Failed");
                }
                var succeeded = JsonPath.Int(workload, "status.succeeded");
                var completions = JsonPath.Int(workload, "spec.completions", 1);
                return Has("Complete")
                    ? (true, "Completed")
                    : (true, $"Running: {succeeded.ToString(CultureInfo.InvariantCulture)}/{completions.ToString(CultureInfo.InvariantCulture)} succeeded");
            default:
                return (true, "Exists");
        }
    }
}
