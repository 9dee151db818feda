namespace Sluice.Core.Api;

/// <summary>What to measure and with which values: nothing in it refers to another object.</summary>
public sealed record AnalysisRunSpec
{
    /// <summary>The batch's metrics and the plan's, templates inlined (no templateRef left).</summary>
    public IReadOnlyList<CanaryMetric>? Metrics { get; init; }

    /// <summary>
    /// The values of the query templates: namespace, component, service, canaryService, sourceRevision,
    /// targetRevision, batch (interval is each metric's own; args are each metric's).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    /// <summary>The batch's pause, in seconds: a metric without <c>count</c> takes as many measurements as fit in it.</summary>
    public int? PauseSeconds { get; init; }

    /// <summary>Kayenta-style score thresholds over the judged metrics.</summary>
    public JudgeScoreThresholds? ScoreThresholds { get; init; }

    /// <summary>Stop measuring: the run ends with what it measured so far.</summary>
    public bool? Terminate { get; init; }
}
