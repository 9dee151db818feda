using System.Text.Json.Nodes;

namespace Sluice.Controllers.Applications;

/// <summary>
/// Application fields Sluice does not implement are refused, never ignored: an Application that asks for a workflow,
/// policies or scopes would otherwise be deployed as something other than what was asked.
/// </summary>
public static class UnsupportedFields
{
    private static readonly HashSet<string> SpecFields = new(StringComparer.Ordinal) { "components" };

    private static readonly HashSet<string> ComponentFields = new(StringComparer.Ordinal) { "name", "type", "properties", "traits" };

    private static readonly HashSet<string> TraitFields = new(StringComparer.Ordinal) { "type", "properties" };

    private static readonly Dictionary<string, string> Why = new(StringComparer.Ordinal)
    {
        ["policies"] = "Sluice does not implement KubeVela's policies",
        ["workflow"] = "Sluice does not implement KubeVela's workflow; an Application's resources are applied as one step",
        ["rolloutPlan"] = "Sluice rolls an Application out with a separate AppRollout, not with spec.rolloutPlan",
        ["scopes"] = "Sluice does not implement application scopes",
        ["inputs"] = "Sluice does not implement data passing between components",
        ["outputs"] = "Sluice does not implement data passing between components",
        ["dependsOn"] = "Sluice applies every component at once; it does not order them",
        ["externalRevision"] = "Sluice names component revisions itself",
    };

    /// <summary>The first unsupported field of the Application's spec, or null.</summary>
    public static SpecProblem? Find(JsonObject application)
    {
        if (application["spec"] is not JsonObject spec)
        {
            return new SpecProblem("InvalidSpec", "spec: Required value");
        }
        foreach (var (key, _) in spec)
        {
            if (!SpecFields.Contains(key))
            {
                return Unsupported($"spec.{key}", key);
            }
        }
        var components = spec["components"] as JsonArray ?? [];
        for (var i = 0; i < components.Count; i++)
        {
            if (components[i] is not JsonObject component)
            {
                return new SpecProblem("InvalidSpec", $"spec.components[{i}]: must be an object");
            }
            foreach (var (key, _) in component)
            {
                if (!ComponentFields.Contains(key))
                {
                    return Unsupported($"spec.components[{i}].{key}", key);
                }
            }
            if (component["traits"] is { } traitsNode && traitsNode is not JsonArray)
            {
                return new SpecProblem("InvalidSpec", $"spec.components[{i}].traits: must be a list");
            }
            var traits = component["traits"] as JsonArray ?? [];
            for (var j = 0; j < traits.Count; j++)
            {
                var path = $"spec.components[{i}].traits[{j}]";
                if (traits[j] is not JsonObject trait)
                {
                    return new SpecProblem("InvalidSpec", $"{path}: must be an object with a type");
                }
                if (trait["type"] is not JsonValue type || type.GetValueKind() != System.Text.Json.JsonValueKind.String || type.GetValue<string>().Length == 0)
                {
                    return new SpecProblem("InvalidSpec", $"{path}.type: Required value: the TraitDefinition to apply");
                }
                if (trait["properties"] is { } properties && properties is not JsonObject)
                {
                    return new SpecProblem("InvalidSpec", $"{path}.properties: must be an object");
                }
                foreach (var (key, _) in trait)
                {
                    if (!TraitFields.Contains(key))
                    {
                        return Unsupported($"{path}.{key}", key);
                    }
                }
            }
        }
        return null;
    }

    private static SpecProblem Unsupported(string path, string key) =>
        new("UnsupportedField", $"{path}: Unsupported field: {Why.GetValueOrDefault(key, "Sluice does not know this field")}; nothing was applied");
}
