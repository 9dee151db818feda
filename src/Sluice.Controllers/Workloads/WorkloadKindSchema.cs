using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// Checks a <see cref="WorkloadDeclaration"/> against the kind's CustomResourceDefinition: the CRD serves the declared
/// version and kind, and each path exists in that version's OpenAPI schema with a type that fits (an integer replicas,
/// an int-or-string partition, a boolean pause, an object template). Where the schema keeps unknown fields
/// (<c>x-kubernetes-preserve-unknown-fields</c>) or describes none, a path below cannot be refuted and is accepted.
/// </summary>
public static class WorkloadKindSchema
{
    public static readonly ResourceKind CustomResourceDefinition = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", Namespaced: false);

    /// <summary>The CRD's name for the declared kind: <c>&lt;plural&gt;.&lt;group&gt;</c>.</summary>
    public static string CrdName(WorkloadDeclaration declaration) => $"{declaration.Kind.Plural}.{declaration.Kind.Group}";

    /// <summary>The first path the CRD cannot hold, naming the declaration's field; null when all fit.</summary>
    public static string? Check(WorkloadDeclaration declaration, JsonObject crd)
    {
        var crdName = CrdName(declaration);
        var kind = JsonPath.String(crd, "spec.names.kind");
        if (kind != declaration.Kind.Kind)
        {
            return $"spec.kind: Invalid value: \"{declaration.Kind.Kind}\": CustomResourceDefinition {crdName} serves kind {kind}";
        }

        if (JsonPath.String(crd, "spec.scope") == "Cluster")
        {
            return $"spec.kind: Invalid value: \"{declaration.Kind.Kind}\": CustomResourceDefinition {crdName} is cluster-scoped; a workload lives in its Application's namespace";
        }

        var versions = (JsonPath.Get(crd, "spec.versions") as JsonArray ?? []).OfType<JsonObject>().ToList();
        var version = versions.FirstOrDefault(v => JsonPath.String(v, "name") == declaration.Kind.Version);
        if (version is null || JsonPath.Get(version, "served") is JsonValue served && served.GetValueKind() == JsonValueKind.False)
        {
            var names = versions.Where(v => JsonPath.Get(v, "served") is not JsonValue s || s.GetValueKind() != JsonValueKind.False).Select(v => JsonPath.String(v, "name"));
            return $"spec.version: Invalid value: \"{declaration.Kind.Version}\": CustomResourceDefinition {crdName} serves {string.Join(", ", names)}";
        }

        var schema = JsonPath.Get(version, "schema.openAPIV3Schema") as JsonObject ?? JsonPath.Get(crd, "spec.validation.openAPIV3Schema") as JsonObject;
        if (schema is null)
        {
            return null;
        }

        foreach (var (field, path, type) in declaration.Paths())
        {
            if (Problem(schema, path, type) is { } problem)
            {
                return $"{field}: Invalid value: \"{path}\": {problem} in the schema of {crdName} {declaration.Kind.Version}";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="path"/> is not a field of <paramref name="type"/> under <paramref name="schema"/>, or null.</summary>
    internal static string? Problem(JsonObject schema, string path, WorkloadDeclaration.PathType type)
    {
        var node = schema;
        var walked = new List<string>();
        foreach (var segment in path.Split('.'))
        {
            if (JsonPath.Get(node, "properties") is JsonObject properties && properties[segment] is JsonObject child)
            {
                node = child;
            }
            else if (node["additionalProperties"] is JsonObject additional)
            {
                node = additional;
            }
            else if (Open(node))
            {
                return null;
            }
            else
            {
                var has = (JsonPath.Get(node, "properties") as JsonObject)?.Select(p => p.Key).Order(StringComparer.Ordinal).ToList() ?? [];
                var where = walked.Count == 0 ? "the object" : string.Join('.', walked);
                return has.Count == 0
                    ? $"{where} has no field {segment}"
                    : $"{where} has no field {segment} (it has: {string.Join(", ", has)})";
            }

            walked.Add(segment);
        }

        var declared = JsonPath.String(node, "type");
        var intOrString = JsonPath.Get(node, "x-kubernetes-int-or-string") is JsonValue v && v.GetValueKind() == JsonValueKind.True;
        var fits = type switch
        {
            _ when declared is null && !intOrString => true,
            WorkloadDeclaration.PathType.Integer => declared is "integer" or "number",
            WorkloadDeclaration.PathType.IntOrString => intOrString || declared is "integer" or "number" or "string",
            WorkloadDeclaration.PathType.Boolean => declared == "boolean",
            WorkloadDeclaration.PathType.Object => declared == "object",
            _ => true,
        };
        return fits ? null : $"{path} is {(intOrString ? "int-or-string" : declared)}, not {Describe(type)}";
    }

    /// <summary>Fields below are not described: kept whatever they are (preserved unknown fields, any additional property, no schema at all).</summary>
    private static bool Open(JsonObject node) =>
        (node["x-kubernetes-preserve-unknown-fields"] is JsonValue keep && keep.GetValueKind() == JsonValueKind.True)
        || (node["additionalProperties"] is JsonValue any && any.GetValueKind() == JsonValueKind.True)
        || (node["type"] is null && node["properties"] is null && node["additionalProperties"] is null);

    private static string Describe(WorkloadDeclaration.PathType type) => type switch
    {
        WorkloadDeclaration.PathType.Integer => "an integer",
        WorkloadDeclaration.PathType.IntOrString => "an integer (or int-or-string)",
        WorkloadDeclaration.PathType.Boolean => "a boolean",
        _ => "an object",
    };
}
