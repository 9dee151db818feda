using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>Where a metric's value comes from: exactly one of the providers.</summary>
public sealed record MetricProvider
{
    /// <summary>The provider names Sluice knows, in the order an error lists them.</summary>
    public static readonly IReadOnlyList<string> Known = ["prometheus", "web"];

    public PrometheusMetric? Prometheus { get; init; }

    public WebMetric? Web { get; init; }

    /// <summary>Providers Sluice does not know (e.g. "datadog"), kept so validation can name them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}
