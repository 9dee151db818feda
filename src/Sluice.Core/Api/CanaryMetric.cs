using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// A metric check on a batch, as KubeVela declares it. Accepted and kept; until metric analysis
/// exists the rollout says in a condition that it is not evaluated.
/// </summary>
public sealed record CanaryMetric
{
    public string? Name { get; init; }

    public string? Interval { get; init; }

    public JsonObject? MetricsRange { get; init; }

    public JsonObject? TemplateRef { get; init; }

    /// <summary>Fields this project does not model, kept as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}
