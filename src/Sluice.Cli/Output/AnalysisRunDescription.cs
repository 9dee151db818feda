using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Core.Analysis;
using Sluice.Core.Api;

namespace Sluice.Cli.Output;

/// <summary>
/// <c>sluice describe analysisrun</c>: the run's phase and why, its variables, and every metric with its counters and
/// each measurement (time, phase, value, message); <see cref="RenderRuns"/> is the short form `describe rollout` shows. Pure.
/// </summary>
internal static class AnalysisRunDescription
{
    public static string Render(AnalysisRun run, IEnumerable<JsonObject> events, DateTimeOffset now)
    {
        var text = new StringBuilder();
        void Field(string label, string value) => text.Append(CultureInfo.InvariantCulture, $"{label + ":",-14}{value}\n");
        var status = run.Status;
        Field("Name", run.Metadata.Name ?? "");
        Field("Namespace", run.Metadata.Namespace ?? "");
        if (run.Metadata.Labels?.GetValueOrDefault(AnalysisRun.RolloutLabel) is { } rollout)
        {
            Field("Rollout", $"{rollout}, batch index {run.Metadata.Labels.GetValueOrDefault(AnalysisRun.BatchLabel) ?? "?"}");
        }

        Field("Phase", status?.Phase?.ToString() ?? "Pending (not picked up by a controller yet)");
        Field("Message", status?.Message ?? "");
        if (status?.DecidedBy is { } by)
        {
            Field("Decided by", $"{by.Metric} {by.Phase}, value {MeasurementVerdict.Show(by.Value)}");
        }

        if (status?.Score is { } score)
        {
            Field("Score", JudgeScore(score, run.Spec.ScoreThresholds));
        }

        Field("Started", status?.StartedAt is { } started ? $"{Time(started)} ({Age.Of(started, now)} ago)" : "-");
        Field("Finished", status?.FinishedAt is { } finished ? Time(finished) : "-");
        if (run.Spec.Terminate is true)
        {
            Field("Terminate", "requested");
        }

        Field("Variables", string.Join(", ", (run.Spec.Variables ?? new Dictionary<string, string>()).Where(v => v.Value.Length > 0).Select(v => $"{v.Key}={v.Value}")));

        foreach (var metric in run.Spec.Metrics ?? [])
        {
            var result = status?.Metric(metric.Name ?? "");
            text.Append(CultureInfo.InvariantCulture, $"\nMetric {metric.Name}{(metric.IsDryRun ? " (dry-run)" : "")}: {result?.Phase.ToString() ?? "Pending"}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {Provider(metric)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {Rule(metric, run.Spec.PauseSeconds)}\n");
            if (result is null)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"  {result.Count} measured: {result.Successful} successful, {result.Failed} failed, {result.Inconclusive} inconclusive; {result.Error} errors ({result.ConsecutiveError} in a row)\n");
            if (result.Message is { Length: > 0 } message)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {message}\n");
            }

            var measurements = result.Measurements ?? [];
            if (measurements.Count > 0)
            {
                text.Append(Indent(TextTable.Render(["#", "AT", "PHASE", "VALUE", "MESSAGE"], measurements.Select((m, i) => (IReadOnlyList<string>)
                [
                    (i + 1).ToString(CultureInfo.InvariantCulture),
                    m.StartedAt is { } at ? Time(at) : "-",
                    m.Phase.ToString(),
                    m.Value is null ? "-" : MeasurementVerdict.Show(m.Value),
                    m.Message ?? "",
                ]))));
            }
        }

        var recent = events.OrderByDescending(e => e["lastTimestamp"]?.GetValue<string>() ?? "").Take(10).ToList();
        text.Append("\nEvents:\n");
        text.Append(recent.Count == 0
            ? "  <none>\n"
            : Indent(TextTable.Render(["TYPE", "REASON", "MESSAGE"], recent.Select(e => (IReadOnlyList<string>)
            [
                e["type"]?.GetValue<string>() ?? "", e["reason"]?.GetValue<string>() ?? "", e["message"]?.GetValue<string>() ?? "",
            ]))));
        return text.ToString();
    }

    /// <summary>The rollout's runs, newest first: name, phase, per-metric summary, and why.</summary>
    public static string RenderRuns(IEnumerable<AnalysisRun> runs, DateTimeOffset now)
    {
        var rows = runs.OrderByDescending(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue).Select(r => (IReadOnlyList<string>)
        [
            r.Metadata.Name ?? "",
            r.Status?.Phase?.ToString() ?? "Pending",
            r.Status?.Summary ?? "",
            Age.Of(r.Metadata.CreationTimestamp, now),
            r.Status?.Message ?? "",
        ]).ToList();
        return "\nAnalysis (sluice describe analysisrun NAME for every measurement):\n" + Indent(TextTable.Render(["RUN", "PHASE", "METRICS", "AGE", "WHY"], rows));
    }

    private static string Provider(CanaryMetric metric) => metric.Provider switch
    {
        { Prometheus: { } p } => $"prometheus {p.Address ?? "(the controller's)"}{(p.Step is null ? "" : $", range step {p.Step}")}: {OneLine(p.Query)}",
        { Web: { } w } => $"web {(w.Method ?? WebMetricMethod.GET)} {w.Url}{(w.JsonPath is null ? "" : $" {w.JsonPath}")}",
        _ => metric.TemplateRef is { } t ? $"template {t.Name} (not inlined)" : "no provider",
    };

    private static string Rule(CanaryMetric metric, int? pauseSeconds)
    {
        var condition = metric.Judge is { } judge
            ? $"judge: {judge.EffectiveDirection.ToString().ToLowerInvariant()} vs source, tolerance {judge.Tolerance?.ToString() ?? "0"}, confidence {judge.EffectiveConfidence.ToString(CultureInfo.InvariantCulture)}"
            : string.Join(", ", new[]
            {
                metric.SuccessCondition is { } s ? $"success `{s}`" : null,
                metric.FailureCondition is { } f ? $"failure `{f}`" : null,
                metric.MetricsRange is { } r ? $"range [{r.Min?.ToString() ?? "-inf"}, {r.Max?.ToString() ?? "+inf"}]" : null,
            }.OfType<string>());
        return string.Create(CultureInfo.InvariantCulture,
            $"{condition}; {MetricAnalysis.CountOf(metric, pauseSeconds)} every {GoDuration.Format(MetricAnalysis.IntervalOf(metric))}{(metric.InitialDelay is { } d ? $" after {d}" : "")}; limits: failure {metric.EffectiveFailureLimit}, inconclusive {metric.EffectiveInconclusiveLimit}, errors in a row {metric.EffectiveConsecutiveErrorLimit}");
    }

    private static string JudgeScore(JudgeScore score, JudgeScoreThresholds? thresholds) =>
        Core.Analysis.Judge.JudgeScoring.Describe(score, thresholds) + $": {score.Phase}";

    private static string OneLine(string? text) => string.Join(" ", (text ?? "").Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Indent(string block) => string.Concat(block.Split('\n').Where(l => l.Length > 0).Select(l => $"  {l}\n"));
}
