using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// OpenAPI v3 for the custom resources (what <c>kubectl explain</c> reads): one document per
/// group/version with each kind's schema, and PATCH paths that announce the <c>fieldValidation</c>
/// parameter and the patch types the server takes, so kubectl keeps asking for strict server-side
/// validation. Built-in group/versions are not published: kubectl then uses its compiled-in
/// knowledge of them (strategic merge patch metadata), as before.
/// </summary>
internal static class OpenApiV3
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in CustomGroupVersions(registry))
        {
            var document = Document(registry, group, version)!;
            paths[$"apis/{group}/{version}"] = new JsonObject
            {
                ["serverRelativeURL"] = $"/openapi/v3/apis/{group}/{version}?hash={Hash(document)}",
            };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? Document(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.IsCustom && t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var schema = type.Schema?.DeepClone().AsObject() ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["kind"] = type.Kind, ["version"] = version });
            if (schema["description"] is null)
            {
                schema["description"] = $"{type.Kind} ({type.ApiVersion}), served by the Sluice control plane.";
            }
            schemas[SchemaName(type)] = schema;
            var scope = type.Namespaced ? "namespaces/{namespace}/" : "";
            paths[$"/apis/{group}/{version}/{scope}{type.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(
                        Query("fieldValidation"), Query("fieldManager"), Query("dryRun"), Query("force")),
                    ["requestBody"] = new JsonObject
                    {
                        ["content"] = new JsonObject
                        {
                            ["application/json-patch+json"] = Body(),
                            ["application/merge-patch+json"] = Body(),
                            ["application/apply-patch+yaml"] = Body(),
                        },
                    },
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject
                        {
                            ["description"] = "OK",
                            ["content"] = new JsonObject { ["application/json"] = Ref(type) },
                        },
                    },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Sluice control plane", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static IEnumerable<(string Group, string Version)> CustomGroupVersions(ResourceRegistry registry) =>
        registry.All.Where(t => t.IsCustom).Select(t => (t.Group, t.Version)).Distinct();

    private static string SchemaName(ResourceType type) =>
        string.Join('.', type.Group.Split('.').Reverse()) + $".{type.Version}.{type.Kind}";

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Body() => new() { ["schema"] = new JsonObject { ["type"] = "object" } };

    private static JsonObject Ref(ResourceType type) => new()
    {
        ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{SchemaName(type)}" },
    };

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
}
