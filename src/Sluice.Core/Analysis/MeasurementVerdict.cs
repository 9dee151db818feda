using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// What one value means for a (resolved) metric, by its conditions: with both, failure true is Failed, else success
/// true is Successful, else Inconclusive; with only a success condition (or <c>metricsRange</c>, its shorthand),
/// false is Failed; with only a failure condition, false is Successful. A condition that cannot be evaluated makes
/// the measurement an Error (retried, counted against consecutiveErrorLimit), never a failure.
/// A dryRun metric without any condition records its values as Successful.
/// </summary>
public static class MeasurementVerdict
{
    public static (AnalysisPhase Phase, string Message) Decide(CanaryMetric metric, JsonNode? value, IConditionEvaluator conditions)
    {
        bool? success;
        string? successText;
        bool? failure = null;
        try
        {
            (success, successText) = metric.MetricsRange is { } range
                ? (InRange(range, value), RangeText(range))
                : metric.SuccessCondition is { } s ? (conditions.Evaluate(s, value), s) : ((bool?)null, (string?)null);
            if (metric.FailureCondition is { } f)
            {
                failure = conditions.Evaluate(f, value);
            }
        }
        catch (ConditionException e)
        {
            return (AnalysisPhase.Error, $"condition could not be evaluated over {Show(value)}: {e.Message}");
        }

        var shown = Show(value);
        return (success, failure) switch
        {
            (_, true) => (AnalysisPhase.Failed, $"{shown}: failure condition `{metric.FailureCondition}` is true"),
            (true, _) => (AnalysisPhase.Successful, $"{shown}: {(metric.MetricsRange is null ? $"success condition `{successText}`" : successText)} is true"),
            (false, null) => (AnalysisPhase.Failed, $"{shown}: {(metric.MetricsRange is null ? $"success condition `{successText}`" : successText)} is false"),
            (null, false) => (AnalysisPhase.Successful, $"{shown}: failure condition `{metric.FailureCondition}` is false"),
            (false, false) => (AnalysisPhase.Inconclusive, $"{shown}: neither `{successText}` nor `{metric.FailureCondition}` is true"),
            (null, null) => (AnalysisPhase.Successful, $"{shown}: recorded (no condition)"),
        };
    }

    /// <summary>A value as the status and messages show it: numbers in invariant culture, JSON otherwise.</summary>
    public static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue when JsonNumbers.TryGetDouble(value, out var d) => d.ToString("0.####", CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    private static bool InRange(MetricsRange range, JsonNode? value)
    {
        if (!JsonNumbers.TryGetDouble(value, out var number))
        {
            throw new ConditionException($"metricsRange needs a single number, the value is {Show(value)}");
        }

        return (range.Min is not { } min || !min.TryNumber(out var lo) || number >= lo)
            && (range.Max is not { } max || !max.TryNumber(out var hi) || number <= hi);
    }

    private static string RangeText(MetricsRange range) =>
        (range.Min, range.Max) switch
        {
            ({ } min, { } max) => $"metricsRange [{min}, {max}]",
            ({ } min, null) => $"metricsRange min {min}",
            (null, { } max) => $"metricsRange max {max}",
            _ => "metricsRange (no bounds)",
        };
}
