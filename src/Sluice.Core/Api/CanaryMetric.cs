using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// A metric check, on the plan (checked in every batch) or on one batch. KubeVela's fields (<see cref="Name"/>,
/// <see cref="Interval"/>, <see cref="MetricsRange"/>, <see cref="TemplateRef"/>) keep their meaning; the rest is
/// Sluice's: where the value comes from (<see cref="Provider"/>), what it must satisfy (CEL conditions over
/// <c>result</c>), how many measurements and how many bad ones are tolerated, and the baseline-vs-canary
/// <see cref="Judge"/>. See docs/analysis.md.
/// </summary>
public sealed record CanaryMetric
{
    /// <summary>Default time between measurements and window of a query, when <see cref="Interval"/> is absent.</summary>
    public const string DefaultInterval = "1m";

    /// <summary>Provider errors in a row tolerated before the metric fails, when <see cref="ConsecutiveErrorLimit"/> is absent.</summary>
    public const int DefaultConsecutiveErrorLimit = 4;

    /// <summary>Required, unique in its list.</summary>
    public string? Name { get; init; }

    /// <summary>KubeVela: the window size; also the time between measurements (default 1m).</summary>
    public string? Interval { get; init; }

    /// <summary>KubeVela: the accepted range of the value; shorthand for a success condition.</summary>
    public MetricsRange? MetricsRange { get; init; }

    /// <summary>KubeVela: a <c>MetricTemplate</c> giving the provider and default conditions.</summary>
    public MetricTemplateReference? TemplateRef { get; init; }

    /// <summary>Sluice: where the value comes from, inline instead of a template.</summary>
    public MetricProvider? Provider { get; init; }

    /// <summary>Sluice: CEL over <c>result</c>; a measurement is Successful when it is true.</summary>
    public string? SuccessCondition { get; init; }

    /// <summary>Sluice: CEL over <c>result</c>; a measurement is Failed when it is true.</summary>
    public string? FailureCondition { get; init; }

    /// <summary>Sluice: measurements to take; default as many as fit in the batch's pause, at least 1.</summary>
    public int? Count { get; init; }

    /// <summary>Sluice: wait before the first measurement, e.g. "30s".</summary>
    public string? InitialDelay { get; init; }

    /// <summary>Sluice: failed measurements tolerated before the metric fails (default 0).</summary>
    public int? FailureLimit { get; init; }

    /// <summary>Sluice: inconclusive measurements tolerated before the metric is Inconclusive (default 0).</summary>
    public int? InconclusiveLimit { get; init; }

    /// <summary>Sluice: provider errors in a row tolerated before the metric fails (default 4).</summary>
    public int? ConsecutiveErrorLimit { get; init; }

    /// <summary>Sluice: compare the target's samples against the source's instead of a fixed condition.</summary>
    public MetricJudge? Judge { get; init; }

    /// <summary>Sluice: measure and record, never fail the rollout.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Sluice: values for <c>{{args.NAME}}</c> in the query or URL (over the template's defaults).</summary>
    public IReadOnlyDictionary<string, string>? Args { get; init; }

    /// <summary>Fields this project does not model, kept as they came (validation names them).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore]
    public int EffectiveFailureLimit => FailureLimit ?? 0;

    [JsonIgnore]
    public int EffectiveInconclusiveLimit => InconclusiveLimit ?? 0;

    [JsonIgnore]
    public int EffectiveConsecutiveErrorLimit => ConsecutiveErrorLimit ?? DefaultConsecutiveErrorLimit;

    [JsonIgnore]
    public bool IsDryRun => DryRun ?? false;
}
