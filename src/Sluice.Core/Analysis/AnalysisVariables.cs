using System.Globalization;

namespace Sluice.Core.Analysis;

/// <summary>The values a batch's queries are rendered with (see <see cref="MetricVariables"/>).</summary>
public sealed record AnalysisVariables
{
    public required string Namespace { get; init; }

    public required string Component { get; init; }

    /// <summary>The Service clients use (traffic routing); empty when the plan routes no traffic.</summary>
    public string? Service { get; init; }

    /// <summary>The Service selecting only the target's pods; empty when the plan routes no traffic.</summary>
    public string? CanaryService { get; init; }

    /// <summary>The source ApplicationRevision's name (Istio's destination_version); empty for a scale-up from nothing.</summary>
    public string? SourceRevision { get; init; }

    public required string TargetRevision { get; init; }

    public IReadOnlyDictionary<string, string> ToDictionary(int batch) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MetricVariables.Namespace] = Namespace,
        [MetricVariables.Component] = Component,
        [MetricVariables.Service] = Service ?? string.Empty,
        [MetricVariables.CanaryService] = CanaryService ?? string.Empty,
        [MetricVariables.SourceRevision] = SourceRevision ?? string.Empty,
        [MetricVariables.TargetRevision] = TargetRevision,
        [MetricVariables.Batch] = batch.ToString(CultureInfo.InvariantCulture),
    };
}
