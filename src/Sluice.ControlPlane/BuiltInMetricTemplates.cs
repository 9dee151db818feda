using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane;

/// <summary>
/// The ready-made MetricTemplates (deploy/metrics: request-success-rate, request-duration, on Istio's standard
/// metrics), embedded at build time and created in vela-system at start when missing. One that exists is never
/// overwritten: a user may have tuned it.
/// </summary>
internal static class BuiltInMetricTemplates
{
    public static readonly GroupResource Resource = new("rollout.sluice.dev", "metrictemplates");

    public static void Install(IResourceStore store)
    {
        foreach (var template in Embedded())
        {
            var ns = template["metadata"]?["namespace"]?.GetValue<string>() ?? "vela-system";
            try
            {
                store.Create(Resource, ns, template);
            }
            catch (ApiException e) when (e.Status.Code == 409)
            {
                // there already, perhaps the user's own: keep it
            }
        }
    }

    public static List<JsonObject> Embedded() => EmbeddedManifests.Load("metrics/");
}
