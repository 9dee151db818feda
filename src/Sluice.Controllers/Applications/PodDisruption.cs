using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Applications;

/// <summary>
/// A TraitDefinition's <c>spec.podDisruptive</c>: whether changing the trait restarts the component's pods. A new
/// revision that adds, removes or changes such a trait is announced (an Event naming the traits), so that an
/// operator knows before rolling it out that it is not a metadata-only change.
/// </summary>
public static class PodDisruption
{
    /// <summary>The pod-disruptive traits of <paramref name="component"/> whose presence or properties differ from <paramref name="previous"/>'s.</summary>
    public static IReadOnlyList<string> Changed(JsonArray? traits, JsonArray? previousTraits, IReadOnlyDictionary<string, bool> podDisruptive)
    {
        static Dictionary<string, string> ByType(JsonArray? list) =>
            (list ?? []).OfType<JsonObject>()
                .GroupBy(t => JsonPath.String(t, "type") ?? "")
                .ToDictionary(g => g.Key, g => string.Join("\n", g.Select(t => t["properties"]?.ToJsonString() ?? "{}")), StringComparer.Ordinal);

        var now = ByType(traits);
        var before = ByType(previousTraits);
        return [.. now.Keys.Union(before.Keys)
            .Where(type => podDisruptive.GetValueOrDefault(type) && (!now.TryGetValue(type, out var a) || !before.TryGetValue(type, out var b) || a != b))
            .Order(StringComparer.Ordinal)];
    }

    public static bool Of(JsonObject traitDefinition) =>
        JsonPath.Get(traitDefinition, "spec.podDisruptive") is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.True;
}
