using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Auth;

/// <summary>
/// One RBAC rule (<c>rbac.authorization.k8s.io/v1</c> PolicyRule) and how it matches a request, as kube-apiserver's
/// RBAC authorizer matches it: verbs, API groups, resources (<c>*</c>, <c>resource/subresource</c>,
/// <c>*/subresource</c>), resourceNames (only when the request names an object), and non-resource URLs (exact, or a
/// prefix ending in <c>*</c>).
/// </summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule FromJson(JsonObject rule) => new(
        Strings(rule["verbs"]), Strings(rule["apiGroups"]), Strings(rule["resources"]), Strings(rule["resourceNames"]), Strings(rule["nonResourceURLs"]));

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["verbs"] = Array(Verbs) };
        if (ApiGroups.Count > 0 || Resources.Count > 0)
        {
            json["apiGroups"] = Array(ApiGroups);
            json["resources"] = Array(Resources);
        }
        if (ResourceNames.Count > 0)
        {
            json["resourceNames"] = Array(ResourceNames);
        }
        if (NonResourceUrls.Count > 0)
        {
            json["nonResourceURLs"] = Array(NonResourceUrls);
        }
        return json;
    }

    public bool Matches(RequestAttributes request)
    {
        if (!Verbs.Contains("*") && !Verbs.Contains(request.Verb))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == "*" || url == request.Path
                || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }
        if (!ApiGroups.Contains("*") && !ApiGroups.Contains(request.Group))
        {
            return false;
        }
        var resource = request.QualifiedResource;
        if (!Resources.Any(r => r == "*" || r == resource || (request.Subresource.Length > 0 && r == "*/" + request.Subresource)))
        {
            return false;
        }
        return ResourceNames.Count == 0 || (request.Name.Length > 0 && ResourceNames.Contains(request.Name));
    }

    /// <summary>The strings of a list; "" stays (it is the core API group).</summary>
    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
