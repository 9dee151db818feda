namespace Sluice.Core.Analysis;

/// <summary>Why a metric cannot be measured: the field (e.g. <c>spec.rolloutPlan.canaryMetric[0].provider</c>) and a message naming it and the value.</summary>
public sealed record AnalysisError(string Field, string Message)
{
    public override string ToString() => Message;
}
