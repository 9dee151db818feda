using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// One metric's schedule and decision, from its measurements so far (pure: the caller passes the time).
/// <list type="bullet">
/// <item>The first measurement is due <c>initialDelay</c> after the run started; each next one <c>interval</c> after the
/// last finished, or after min(interval, 10 s) when the last was an Error (a retry).</item>
/// <item>Failed as soon as failed measurements exceed <c>failureLimit</c>, or errors in a row exceed
/// <c>consecutiveErrorLimit</c>; Inconclusive as soon as inconclusive ones exceed <c>inconclusiveLimit</c>;
/// Successful once <c>count</c> measurements gave a value (errors do not count) without either.</item>
/// <item><c>count</c> defaults to as many intervals as fit in the batch's pause, at least 1.</item>
/// </list>
/// Example: interval 1m, count 3, failureLimit 1: Successful, Failed, Successful is Successful at the third; Failed,
/// Failed is Failed at the second, without a third.
/// The counters are recomputed from the measurements every time, so a status is never inconsistent with its list.
/// </summary>
public static class MetricAnalysis
{
    public static readonly TimeSpan MaxErrorRetry = TimeSpan.FromSeconds(10);

    public static TimeSpan IntervalOf(CanaryMetric metric) =>
        GoDuration.TryParse(metric.Interval ?? CanaryMetric.DefaultInterval, out var interval) && interval > TimeSpan.Zero ? interval : TimeSpan.FromMinutes(1);

    /// <summary>A range query's step: the provider's, or a twentieth of the interval (at least 1 s): 1m gives 3s.</summary>
    public static TimeSpan StepOf(CanaryMetric metric) =>
        GoDuration.TryParse(metric.Provider?.Prometheus?.Step, out var step) && step > TimeSpan.Zero
            ? step
            : TimeSpan.FromSeconds(Math.Max(1, Math.Floor(IntervalOf(metric).TotalSeconds / 20)));

    public static TimeSpan InitialDelayOf(CanaryMetric metric) =>
        GoDuration.TryParse(metric.InitialDelay, out var delay) ? delay : TimeSpan.Zero;

    /// <summary><c>count</c>, or as many intervals as fit in the pause (at least 1): pause 5m at interval 1m is 5.</summary>
    public static int CountOf(CanaryMetric metric, int? pauseSeconds)
    {
        if (metric.Count is { } count)
        {
            return Math.Max(1, count);
        }

        if (pauseSeconds is not { } pause || pause <= 0)
        {
            return 1;
        }

        return (int)Math.Max(1, Math.Floor(TimeSpan.FromSeconds(pause) / IntervalOf(metric)));
    }

    /// <summary>Appends a measurement (measurements are never changed or removed) and recounts.</summary>
    public static MetricResult Record(MetricResult? result, CanaryMetric metric, Measurement measurement)
    {
        var measurements = (result?.Measurements ?? []).Append(measurement).ToList();
        return Recount((result ?? new MetricResult { Name = metric.Name ?? string.Empty }) with { Measurements = measurements, DryRun = metric.DryRun is true ? true : null });
    }

    public static MetricProgress Evaluate(CanaryMetric metric, MetricResult? result, DateTimeOffset startedAt, int? pauseSeconds)
    {
        var current = Recount(result ?? new MetricResult { Name = metric.Name ?? string.Empty, DryRun = metric.DryRun is true ? true : null });
        if (current.Phase != AnalysisPhase.Running)
        {
            return new MetricProgress(current, null);
        }

        var count = CountOf(metric, pauseSeconds);
        var measurements = current.Measurements ?? [];
        var last = measurements.Count > 0 ? measurements[^1] : null;
        var lastValue = measurements.LastOrDefault(m => m.Phase == AnalysisPhase.Failed) ?? last;
        if (current.Failed > metric.EffectiveFailureLimit)
        {
            return Decided(current, AnalysisPhase.Failed,
                $"{current.Failed} of {current.Count} measurements failed (failureLimit {metric.EffectiveFailureLimit}): {lastValue?.Message}");
        }

        if (current.ConsecutiveError > metric.EffectiveConsecutiveErrorLimit)
        {
            return Decided(current, AnalysisPhase.Failed,
                $"{current.ConsecutiveError} errors in a row (consecutiveErrorLimit {metric.EffectiveConsecutiveErrorLimit}): {last?.Message}");
        }

        if (current.Inconclusive > metric.EffectiveInconclusiveLimit)
        {
            var inconclusive = measurements.Last(m => m.Phase == AnalysisPhase.Inconclusive);
            return Decided(current, AnalysisPhase.Inconclusive,
                $"{current.Inconclusive} of {current.Count} measurements inconclusive (inconclusiveLimit {metric.EffectiveInconclusiveLimit}): {inconclusive.Message}");
        }

        if (current.Count >= count)
        {
            return Decided(current, AnalysisPhase.Successful,
                $"{current.Count} measurements: {current.Successful} successful, {current.Failed} failed (failureLimit {metric.EffectiveFailureLimit}), {current.Inconclusive} inconclusive; last: {last?.Message}");
        }

        var due = last?.FinishedAt is { } finished
            ? finished + (last.Phase == AnalysisPhase.Error ? Min(IntervalOf(metric), MaxErrorRetry) : IntervalOf(metric))
            : startedAt + InitialDelayOf(metric);
        var message = last is null
            ? $"first measurement at {due.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}"
            : $"{current.Count} of {count} measurements; last: {last.Message}";
        return new MetricProgress(current with { Message = message }, due);
    }

    /// <summary>Counters from the measurements; a decided phase is kept (a decision is never taken back).</summary>
    private static MetricResult Recount(MetricResult result)
    {
        var measurements = result.Measurements ?? [];
        var consecutive = 0;
        for (var i = measurements.Count - 1; i >= 0 && measurements[i].Phase == AnalysisPhase.Error; i--)
        {
            consecutive++;
        }

        return result with
        {
            Count = measurements.Count(m => m.Phase != AnalysisPhase.Error),
            Successful = measurements.Count(m => m.Phase == AnalysisPhase.Successful),
            Failed = measurements.Count(m => m.Phase == AnalysisPhase.Failed),
            Inconclusive = measurements.Count(m => m.Phase == AnalysisPhase.Inconclusive),
            Error = measurements.Count(m => m.Phase == AnalysisPhase.Error),
            ConsecutiveError = consecutive,
        };
    }

    private static MetricProgress Decided(MetricResult result, AnalysisPhase phase, string message) =>
        new(result with { Phase = phase, Message = message }, null);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
