using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;

namespace Sluice.Cue.Kube;

/// <summary>
/// KubeVela's <c>kube/&lt;group&gt;/&lt;version&gt;</c> packages, generated from an API server's OpenAPI v3 document of that
/// group/version: for each kind, <c>#Kind</c> is the kind's schema with <c>apiVersion</c> and <c>kind</c> set, closed
/// as a CUE definition is, so that <c>output: apps.#Deployment &amp; {...}</c> fills in the type fields and refuses
/// fields the API does not have. Properties become optional fields (required ones plain), <c>additionalProperties</c> a
/// pattern, preserved unknown fields an open struct, int-or-string <c>int | string</c>, enums disjunctions.
/// Schema defaults are not carried over (the API server applies them).
/// </summary>
public static class KubePackages
{
    private const string SchemaPrefix = "#S_";

    /// <summary>The import path for an apiVersion: <c>kube/apps/v1</c>, <c>kube/v1</c> for the core group.</summary>
    public static string ImportPath(string apiVersion) => "kube/" + apiVersion;

    /// <summary>The apiVersion an import path names (<c>kube/networking.k8s.io/v1</c>), or null when it is not a kube package.</summary>
    public static string? ApiVersion(string importPath) =>
        importPath.StartsWith("kube/", StringComparison.Ordinal) && importPath.Length > 5 ? importPath[5..] : null;

    /// <summary>
    /// The CUE source of the package for <paramref name="apiVersion"/> from its OpenAPI v3 <paramref name="document"/>
    /// (<c>components.schemas</c>, each kind marked with <c>x-kubernetes-group-version-kind</c>).
    /// </summary>
    public static string Generate(string apiVersion, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        var b = new StringBuilder();
        b.Append("package ").Append(Identifier(apiVersion[(apiVersion.LastIndexOf('/') + 1)..])).Append("\n\n");
        foreach (var (name, schema) in schemas)
        {
            if (schema is not JsonObject s)
            {
                continue;
            }
            foreach (var gvk in (s["x-kubernetes-group-version-kind"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var group = gvk["group"]?.GetValue<string>() ?? "";
                var version = gvk["version"]?.GetValue<string>() ?? "";
                var kind = gvk["kind"]?.GetValue<string>() ?? "";
                if ((group.Length == 0 ? version : $"{group}/{version}") == apiVersion && kind.Length > 0)
                {
                    b.Append('#').Append(Identifier(kind)).Append(": ").Append(SchemaPrefix).Append(Identifier(name))
                        .Append(" & {\n\t\"apiVersion\": ").Append(Quote(apiVersion)).Append("\n\t\"kind\": ").Append(Quote(kind)).Append("\n}\n");
                }
            }
        }
        b.Append('\n');
        foreach (var (name, schema) in schemas)
        {
            b.Append(SchemaPrefix).Append(Identifier(name)).Append(": ");
            Type(b, schema, 0);
            b.Append('\n');
        }
        return b.ToString();
    }

    private static void Type(StringBuilder b, JsonNode? node, int depth)
    {
        if (node is not JsonObject schema || depth > 50)
        {
            b.Append('_');
            return;
        }
        if (schema["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target))
        {
            b.Append(SchemaPrefix).Append(Identifier(target[(target.LastIndexOf('/') + 1)..]));
            return;
        }
        if (schema["allOf"] is JsonArray allOf && allOf.Count > 0)
        {
            for (var i = 0; i < allOf.Count; i++)
            {
                b.Append(i > 0 ? " & " : "");
                Type(b, allOf[i], depth + 1);
            }
            return;
        }
        var nullable = schema["nullable"] is JsonValue n && n.GetValueKind() == JsonValueKind.True;
        if (nullable)
        {
            b.Append("null | ");
        }
        if (schema["x-kubernetes-int-or-string"] is JsonValue ios && ios.GetValueKind() == JsonValueKind.True)
        {
            b.Append("int | string");
            return;
        }
        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            b.Append(string.Join(" | ", values.Select(v => v?.ToJsonString() ?? "null")));
            return;
        }
        var preserve = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.GetValueKind() == JsonValueKind.True;
        switch (schema["type"]?.GetValue<string>())
        {
            case "string":
                b.Append("string");
                return;
            case "integer":
                b.Append("int");
                return;
            case "number":
                b.Append("number");
                return;
            case "boolean":
                b.Append("bool");
                return;
            case "array":
                b.Append("[...");
                Type(b, schema["items"], depth + 1);
                b.Append(']');
                return;
            case "object":
            case null when schema["properties"] is JsonObject:
                Struct(b, schema, preserve, depth);
                return;
            default:
                b.Append('_');
                return;
        }
    }

    private static void Struct(StringBuilder b, JsonObject schema, bool preserve, int depth)
    {
        var properties = schema["properties"] as JsonObject ?? [];
        var required = new HashSet<string>((schema["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>() ?? ""), StringComparer.Ordinal);
        var additional = schema["additionalProperties"];
        if (properties.Count == 0 && additional is null)
        {
            b.Append("{...}");
            return;
        }
        var indent = new string('\t', depth + 1);
        b.Append("{\n");
        foreach (var (name, property) in properties)
        {
            b.Append(indent).Append(Quote(name)).Append(required.Contains(name) ? ": " : "?: ");
            Type(b, property, depth + 1);
            b.Append('\n');
        }
        if (additional is JsonObject additionalSchema)
        {
            b.Append(indent).Append("[string]: ");
            Type(b, additionalSchema, depth + 1);
            b.Append('\n');
        }
        else if (preserve || additional is JsonValue a && a.GetValueKind() == JsonValueKind.True)
        {
            b.Append(indent).Append("...\n");
        }
        b.Append(new string('\t', depth)).Append('}');
    }

    /// <summary>A schema name as a CUE identifier: letters, digits and underscores.</summary>
    private static string Identifier(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            b.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return b.Length > 0 && char.IsAsciiDigit(b[0]) ? "_" + b : b.ToString();
    }

    private static string Quote(string text) => StringValue.Quote(text);
}
