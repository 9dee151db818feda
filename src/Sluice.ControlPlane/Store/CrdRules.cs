using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Store;

/// <summary>The checks kube-apiserver makes on a CustomResourceDefinition, and the status it reports once served.</summary>
internal static class CrdRules
{
    public static void Validate(JsonObject crd)
    {
        var causes = new List<StatusCause>();
        var spec = crd["spec"] as JsonObject;
        var group = Str(spec?["group"]);
        var plural = Str(spec?["names"]?["plural"]);
        if (group.Length == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.group"));
        }
        if (plural.Length == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.names.plural"));
        }
        if (Str(spec?["names"]?["kind"]).Length == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", "spec.names.kind"));
        }
        var scope = Str(spec?["scope"]);
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
        }
        var versions = (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (versions.Count == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value: must have exactly one version marked as storage version", "spec.versions"));
        }
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            causes.Add(new StatusCause("FieldValueInvalid",
                "Invalid value: " + versions.Count(v => v["storage"]?.GetValue<bool>() == true) + ": must have exactly one version marked as storage version",
                "spec.versions"));
        }
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                causes.AddRange(Schema.CelRules.Check(schema, $"spec.versions[{i}].schema.openAPIV3Schema"));
            }
        }
        var name = Meta.Name(crd);
        if (group.Length > 0 && plural.Length > 0 && name != $"{plural}.{group}")
        {
            causes.Add(new StatusCause("FieldValueInvalid",
                $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
        }
        if (causes.Count > 0)
        {
            throw Errors.Invalid("CustomResourceDefinition", "apiextensions.k8s.io", name, causes);
        }
    }

    public static JsonObject EstablishedStatus(JsonObject crd, DateTimeOffset now)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.DeepClone().AsObject();
        if (names["singular"] is null)
        {
            names["singular"] = Str(names["kind"]).ToLowerInvariant();
        }
        if (names["listKind"] is null)
        {
            names["listKind"] = Str(names["kind"]) + "List";
        }
        var time = Meta.Timestamp(now);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = time,
            ["reason"] = reason,
            ["message"] = message,
        };
        var storage = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["storage"]?.GetValue<bool>() == true)
            .Select(v => (JsonNode?)JsonValue.Create(Str(v["name"])))
            .ToArray();
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
