using System.Text.Json.Nodes;

namespace Sluice.Controllers.Kube;

/// <summary>The resource an object's apiVersion and kind name: the known ones, else the usual plural.</summary>
public static class ResourceKinds
{
    private static readonly Dictionary<(string ApiVersion, string Kind), ResourceKind> Known = new[]
    {
        ResourceKind.Pod, ResourceKind.Event, ResourceKind.Secret, ResourceKind.Service, ResourceKind.Deployment,
        ResourceKind.StatefulSet, ResourceKind.DaemonSet, ResourceKind.ReplicaSet, ResourceKind.CloneSet, ResourceKind.Lease,
        ResourceKind.AppRollout, ResourceKind.Application, ResourceKind.ApplicationRevision, ResourceKind.ComponentDefinition, ResourceKind.TraitDefinition,
        new("", "v1", "ConfigMap", "configmaps"), new("", "v1", "Namespace", "namespaces", Namespaced: false),
        new("", "v1", "ServiceAccount", "serviceaccounts"),
    }.ToDictionary(k => (k.ApiVersion, k.Kind));

    public static ResourceKind For(string apiVersion, string kind)
    {
        if (Known.TryGetValue((apiVersion, kind), out var known))
        {
            return known;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var lower = kind.ToLowerInvariant();
        var plural = lower.EndsWith('s') || lower.EndsWith('x') ? lower + "es" : lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
        return new ResourceKind(group, version, kind, plural);
    }

    public static ResourceKind Of(JsonObject manifest) =>
        For(manifest["apiVersion"]?.GetValue<string>() ?? "v1", manifest["kind"]?.GetValue<string>() ?? "Unknown");
}
