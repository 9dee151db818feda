using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Resources;

/// <summary>
/// OpenAPI v3 schemas of the built-in kinds (builtin-openapi.json, generated from KubernetesClient's models by a test):
/// what <c>/openapi/v3</c> publishes for them, so that <c>kubectl explain deployment.spec</c> works and the controllers
/// can generate KubeVela's <c>kube/apps/v1</c> CUE packages from the plane as they would from a cluster.
/// </summary>
internal static class BuiltInSchemas
{
    private static readonly Lazy<JsonObject> Document = new(() =>
    {
        using var stream = typeof(BuiltInSchemas).Assembly.GetManifestResourceStream("builtin-openapi.json")
            ?? throw new InvalidOperationException("builtin-openapi.json is not embedded");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>The schema name of a built-in kind, or null.</summary>
    public static string? SchemaName(ResourceType type) =>
        Document.Value["kinds"]?[$"{type.ApiVersion}/{type.Kind}"]?.GetValue<string>();

    /// <summary>Adds the kind's schema and every schema it refers to into <paramref name="schemas"/>.</summary>
    public static void AddWithReferences(string name, JsonObject schemas)
    {
        if (schemas.ContainsKey(name) || Document.Value["schemas"]?[name] is not JsonObject schema)
        {
            return;
        }
        var copy = schema.DeepClone().AsObject();
        schemas[name] = copy;
        foreach (var reference in References(copy))
        {
            AddWithReferences(reference, schemas);
        }
    }

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                // A property may itself be named "$ref" (JSONSchemaProps): only a string is a reference.
                if (o["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference))
                {
                    yield return reference[(reference.LastIndexOf('/') + 1)..];
                }
                foreach (var (_, value) in o)
                {
                    foreach (var r in References(value))
                    {
                        yield return r;
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var r in References(item))
                    {
                        yield return r;
                    }
                }
                break;
        }
    }
}
