using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// OpenAPI v3 (what <c>kubectl explain</c> reads, and what KubeVela generates its <c>kube/...</c> CUE packages
/// from): one document per group/version with each kind's schema, and PATCH paths that announce the
/// <c>fieldValidation</c> parameter and the patch types the server takes, so kubectl keeps asking for strict
/// server-side validation. Custom resources carry their CRD's schema; built-in kinds the schemas of
/// <see cref="BuiltInSchemas"/> (with the list merge keys of strategic merge patch).
/// </summary>
internal static class OpenApiV3
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions(registry))
        {
            var document = Document(registry, group, version)!;
            var path = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            paths[path] = new JsonObject
            {
                ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(document)}",
            };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? Document(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version && (t.IsCustom || BuiltInSchemas.SchemaName(t) is not null)).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var type in types)
        {
            if (!type.IsCustom)
            {
                BuiltInSchemas.AddWithReferences(BuiltInSchemas.SchemaName(type)!, schemas);
                paths[PatchPath(type)] = Patch(type, BuiltInSchemas.SchemaName(type)!, strategic: true);
                continue;
            }
            var schema = type.Schema?.DeepClone().AsObject() ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["kind"] = type.Kind, ["version"] = version });
            if (schema["description"] is null)
            {
                schema["description"] = $"{type.Kind} ({type.ApiVersion}), served by the Sluice control plane.";
            }
            schemas[SchemaName(type)] = schema;
            paths[PatchPath(type)] = Patch(type, SchemaName(type), strategic: false);
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Sluice control plane", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static IEnumerable<(string Group, string Version)> GroupVersions(ResourceRegistry registry) =>
        registry.All.Where(t => t.IsCustom || BuiltInSchemas.SchemaName(t) is not null).Select(t => (t.Group, t.Version)).Distinct();

    private static string PatchPath(ResourceType type)
    {
        var scope = type.Namespaced ? "namespaces/{namespace}/" : "";
        var root = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
        return $"{root}/{scope}{type.Plural}/{{name}}";
    }

    private static JsonObject Patch(ResourceType type, string schemaName, bool strategic)
    {
        var content = new JsonObject
        {
            ["application/json-patch+json"] = Body(),
            ["application/merge-patch+json"] = Body(),
            ["application/apply-patch+yaml"] = Body(),
        };
        if (strategic)
        {
            content["application/strategic-merge-patch+json"] = Body();
        }
        return new JsonObject
        {
            ["patch"] = new JsonObject
            {
                ["operationId"] = $"patch{type.Kind}",
                ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                ["parameters"] = new JsonArray(Query("fieldValidation"), Query("fieldManager"), Query("dryRun"), Query("force")),
                ["requestBody"] = new JsonObject { ["content"] = content },
                ["responses"] = new JsonObject
                {
                    ["200"] = new JsonObject
                    {
                        ["description"] = "OK",
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" } } },
                    },
                },
            },
        };
    }

    private static string SchemaName(ResourceType type) =>
        string.Join('.', type.Group.Split('.').Reverse()) + $".{type.Version}.{type.Kind}";

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Body() => new() { ["schema"] = new JsonObject { ["type"] = "object" } };

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
}
