using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// What a template gives a metric that names it: the provider, and conditions the metric may replace (a metric
/// with its own <c>successCondition</c>, <c>failureCondition</c> or <c>metricsRange</c> uses only its own).
/// </summary>
public sealed record MetricTemplateSpec
{
    public MetricProvider? Provider { get; init; }

    public string? SuccessCondition { get; init; }

    public string? FailureCondition { get; init; }

    public MetricsRange? MetricsRange { get; init; }

    /// <summary>Defaults for <c>{{args.NAME}}</c>; the metric's own args win.</summary>
    public IReadOnlyDictionary<string, string>? Args { get; init; }

    /// <summary>Fields this project does not model, kept as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}
