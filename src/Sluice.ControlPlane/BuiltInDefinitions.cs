using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.ControlPlane.Yaml;

namespace Sluice.ControlPlane;

/// <summary>
/// The project's own definitions (deploy/definitions): the ComponentDefinitions (webservice, worker,
/// clonesetservice, statefulservice, daemon) and the TraitDefinitions (scaler, labels, env, sidecar, expose,
/// ingress, ...), embedded at build time and created at start when missing. One that exists is never overwritten:
/// a user may have replaced it (KubeVela's clonesetservice and traits have the same names).
/// </summary>
internal static class BuiltInDefinitions
{
    public static readonly GroupResource Resource = new("core.oam.dev", "componentdefinitions");

    public static readonly GroupResource TraitResource = new("core.oam.dev", "traitdefinitions");

    public static void Install(IResourceStore store)
    {
        foreach (var definition in Embedded())
        {
            var ns = definition["metadata"]?["namespace"]?.GetValue<string>() ?? "vela-system";
            var resource = definition["kind"]?.GetValue<string>() == "TraitDefinition" ? TraitResource : Resource;
            try
            {
                store.Create(resource, ns, definition);
            }
            catch (ApiException e) when (e.Status.Code == 409)
            {
                // there already, perhaps the user's own: keep it
            }
        }
    }

    public static List<JsonObject> Embedded() => EmbeddedManifests.Load("definitions/");
}
