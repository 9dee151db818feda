using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Cue.Rendering;

namespace Sluice.Controllers.Applications;

/// <summary>
/// Component revisions, as KubeVela names them: <c>&lt;component&gt;-v&lt;N&gt;</c>, a new N whenever the component's
/// workload spec (traits included) differs from every earlier one. Templates see the name as <c>context.revision</c>:
/// they are rendered with <see cref="RenderContext.RevisionPlaceholder"/>, the spec is hashed with it, and the name
/// replaces it everywhere once known.
/// </summary>
public static class ComponentRevisions
{
    /// <summary>The hash of the workload's spec that identifies a component revision.</summary>
    public static string Hash(JsonObject workload) => WorkloadMarks.Hash(workload["spec"]);

    /// <summary>
    /// The revision for <paramref name="hash"/>: the earlier one with the same hash, else one past the highest so far.
    /// <paramref name="earlier"/> holds the ApplicationRevisions' <c>spec.components</c> entries for this component.
    /// </summary>
    public static string Name(string component, string hash, IEnumerable<JsonObject> earlier)
    {
        var highest = 0;
        foreach (var entry in earlier)
        {
            var name = JsonPath.String(entry, "revision");
            if (name is null)
            {
                continue;
            }
            if (JsonPath.String(entry, "revisionHash") == hash)
            {
                return name;
            }
            var suffix = name.LastIndexOf("-v", StringComparison.Ordinal);
            if (suffix >= 0 && int.TryParse(name.AsSpan(suffix + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                highest = Math.Max(highest, number);
            }
        }
        return $"{component}-v{(highest + 1).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A copy of <paramref name="manifest"/> with every occurrence of the placeholder replaced by <paramref name="revision"/>.</summary>
    public static JsonObject Replace(JsonObject manifest, string revision)
    {
        var text = manifest.ToJsonString();
        return text.Contains(RenderContext.RevisionPlaceholder, StringComparison.Ordinal)
            ? JsonNode.Parse(text.Replace(RenderContext.RevisionPlaceholder, revision, StringComparison.Ordinal))!.AsObject()
            : manifest.DeepClone().AsObject();
    }
}
