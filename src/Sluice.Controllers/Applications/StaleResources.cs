using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;

namespace Sluice.Controllers.Applications;

/// <summary>
/// What an Application rendered in an earlier revision and renders no more: a trait dropped (its Ingress, its Service),
/// a definition's output gone, a component removed (its workload, unless a rollout moves that component). KubeVela's
/// resource tracker collects these; so does Sluice, from the revisions themselves, so a controller that crashed between
/// creating a revision and deleting collects on its next pass. Objects are named by group, kind, namespace and name (an
/// Ingress rendered as v1beta1 and later as v1 is one object).
/// </summary>
public static class StaleResources
{
    public static IReadOnlyList<JsonObject> Find(IEnumerable<JsonObject> revisions, IReadOnlyList<RenderedComponent> current, IReadOnlySet<string> rolling)
    {
        var rendered = current.SelectMany(c => (c.Outputs ?? []).Prepend(c.Workload)).Select(Id).ToHashSet(StringComparer.Ordinal);
        var components = current.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var stale = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var revision in revisions)
        {
            foreach (var component in (JsonPath.Get(revision, "spec.components") as JsonArray ?? []).OfType<JsonObject>())
            {
                var name = JsonPath.String(component, "name") ?? "";
                var resources = (JsonPath.Get(component, "outputs") as JsonArray ?? []).OfType<JsonObject>().ToList();
                if (!components.Contains(name) && !rolling.Contains(name) && JsonPath.Get(component, "workload") is JsonObject workload)
                {
                    resources.Add(workload);
                }

                foreach (var resource in resources)
                {
                    var id = Id(resource);
                    if (!rendered.Contains(id))
                    {
                        stale.TryAdd(id, resource);
                    }
                }
            }
        }

        return [.. stale.Values];
    }

    private static string Id(JsonObject resource)
    {
        var apiVersion = JsonPath.String(resource, "apiVersion") ?? "v1";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return $"{(slash < 0 ? "" : apiVersion[..slash])}/{JsonPath.String(resource, "kind")}/{JsonPath.String(resource, "metadata.namespace")}/{JsonPath.String(resource, "metadata.name")}";
    }
}
