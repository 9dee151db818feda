using System.Globalization;
using Sluice.Core.Analysis;
using Sluice.Core.Api;

namespace Sluice.Controllers.Operations;

/// <summary>An AnalysisRun's metrics in words, shared by the CLI's views and the dashboard. Pure.</summary>
public static class AnalysisText
{
    /// <summary>"success `result >= 99`", "range [99.5, +inf]", "judge: increase vs source, ...": what decides a measurement.</summary>
    public static string Condition(CanaryMetric metric) =>
        metric.Judge is { } judge
            ? $"judge: {judge.EffectiveDirection.ToString().ToLowerInvariant()} vs source, tolerance {judge.Tolerance?.ToString() ?? "0"}, confidence {judge.EffectiveConfidence.ToString(CultureInfo.InvariantCulture)}"
            : string.Join(", ", new[]
            {
                metric.SuccessCondition is { } s ? $"success `{s}`" : null,
                metric.FailureCondition is { } f ? $"failure `{f}`" : null,
                metric.MetricsRange is { } r ? $"range [{r.Min?.ToString() ?? "-inf"}, {r.Max?.ToString() ?? "+inf"}]" : null,
            }.OfType<string>()) is { Length: > 0 } written ? written : "no condition (recorded only)";

    /// <summary>A measurement's phase as one character: ✔ successful, ✖ failed, ? inconclusive, ! error.</summary>
    public static string Icon(AnalysisPhase phase) => phase switch
    {
        AnalysisPhase.Successful => "✔",
        AnalysisPhase.Failed => "✖",
        AnalysisPhase.Inconclusive => "?",
        AnalysisPhase.Error => "!",
        _ => "◌",
    };

    /// <summary>"99.8 ✔": a measurement's value and phase ("error ✖" when it gave none).</summary>
    public static string Measured(Measurement measurement) =>
        $"{(measurement.Value is null ? measurement.Phase == AnalysisPhase.Error ? "error" : "-" : MeasurementVerdict.Show(measurement.Value))} {Icon(measurement.Phase)}";

    /// <summary>"2 measured (1 failed), 1 error": a metric's counters in a few words.</summary>
    public static string Counts(MetricResult result)
    {
        var parts = new List<string> { $"{result.Count} measured" };
        if (result.Failed > 0 || result.Inconclusive > 0)
        {
            parts[0] += $" ({string.Join(", ", new[] { result.Failed > 0 ? $"{result.Failed} failed" : null, result.Inconclusive > 0 ? $"{result.Inconclusive} inconclusive" : null }.OfType<string>())})";
        }

        if (result.Error > 0)
        {
            parts.Add($"{result.Error} error{(result.Error == 1 ? "" : "s")}");
        }

        return string.Join(", ", parts);
    }
}
