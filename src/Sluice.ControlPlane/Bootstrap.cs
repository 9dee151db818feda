using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.ControlPlane.Yaml;

namespace Sluice.ControlPlane;

/// <summary>
/// What the plane holds from its first start: the namespaces kube-apiserver creates (plus
/// vela-system), and the project's CRDs, embedded in this assembly so the binary is self-contained.
/// </summary>
internal static class Bootstrap
{
    public static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease", "vela-system"];

    public static void Run(IResourceStore store)
    {
        foreach (var ns in Namespaces)
        {
            CreateIfMissing(store, BuiltInResources.Namespaces, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns },
            });
        }
        foreach (var crd in EmbeddedCrds())
        {
            var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
            try
            {
                var current = store.Get(BuiltInResources.Crds, null, name);
                if (!JsonNode.DeepEquals(current["spec"], crd["spec"]) && !ReplacedByUser(current, crd))
                {
                    store.Mutate(BuiltInResources.Crds, null, name, live =>
                    {
                        live["spec"] = crd["spec"]!.DeepClone();
                        return live;
                    });
                }
            }
            catch (ApiException e) when (e.Status.Code == 404)
            {
                store.Create(BuiltInResources.Crds, null, crd);
            }
        }

        BuiltInDefinitions.Install(store);
        Auth.BootstrapPolicy.Run(store);
        BuiltInMetricTemplates.Install(store);
    }

    /// <summary>
    /// A bundled third-party CRD (Gateway API, Istio: annotation <see cref="BundledAnnotation"/>) that the user replaced,
    /// e.g. with the upstream one: theirs stays.
    /// </summary>
    private static bool ReplacedByUser(JsonObject current, JsonObject embedded) =>
        embedded["metadata"]?["annotations"]?[BundledAnnotation] is not null
        && current["metadata"]?["annotations"]?[BundledAnnotation] is null;

    /// <summary>Marks the third-party CRDs the plane bundles (src/Sluice.ControlPlane/Bundled).</summary>
    public const string BundledAnnotation = "sluice.dev/bundled";

    /// <summary>The CRDs under deploy/crds and src/Sluice.ControlPlane/Bundled, as embedded at build time.</summary>
    public static List<JsonObject> EmbeddedCrds() => EmbeddedManifests.Load("crds/");

    private static void CreateIfMissing(IResourceStore store, GroupResource resource, JsonObject obj)
    {
        try
        {
            store.Create(resource, null, obj);
        }
        catch (ApiException e) when (e.Status.Code == 409)
        {
            // Already there from an earlier start.
        }
    }
}
