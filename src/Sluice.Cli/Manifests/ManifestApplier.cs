using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Cli.Manifests;

/// <summary>Creates each document or replaces it (keeping its resourceVersion), as <c>kubectl apply</c> does for these files.</summary>
internal static class ManifestApplier
{
    /// <summary>"created" or "configured".</summary>
    public static async Task<string> ApplyAsync(IKubeApi api, JsonObject document, string defaultNamespace, CancellationToken cancellationToken)
    {
        var (kind, ns, name) = Locate(document, defaultNamespace);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await api.GetAsync(kind, ns, name, cancellationToken);
            if (existing is null)
            {
                await api.CreateAsync(kind, ns, document, cancellationToken);
                return "created";
            }

            var update = document.DeepClone().AsObject();
            update["metadata"]!["resourceVersion"] = existing["metadata"]?["resourceVersion"]?.DeepClone();
            try
            {
                await api.ReplaceAsync(kind, ns, update, cancellationToken);
                return "configured";
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 3)
            {
            }
        }
    }

    /// <summary>The resource, namespace (the document's, else <paramref name="defaultNamespace"/>; null when cluster-scoped) and name.</summary>
    public static (ResourceKind Kind, string? Namespace, string Name) Locate(JsonObject document, string defaultNamespace)
    {
        var kind = ResourceKinds.Of(document);
        var ns = kind.Namespaced ? document["metadata"]?["namespace"]?.GetValue<string>() ?? defaultNamespace : null;
        if (ns is not null)
        {
            document["metadata"]!["namespace"] = ns;
        }

        return (kind, ns, document["metadata"]!["name"]!.GetValue<string>());
    }

    /// <summary>How kubectl names an object in messages: approllout.core.oam.dev/shop-up.</summary>
    public static string Display(ResourceKind kind, string name) =>
        $"{kind.Kind.ToLowerInvariant()}{(kind.Group.Length == 0 ? "" : "." + kind.Group)}/{name}";
}
