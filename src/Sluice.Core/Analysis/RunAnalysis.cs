using System.Globalization;
using Sluice.Core.Analysis.Judge;
using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// An AnalysisRun's phase from its metrics (pure: the caller passes the time). Dry-run metrics are measured and
/// recorded but never decide the run (it waits for them to finish unless another metric decides it first).
/// <list type="bullet">
/// <item>Failed as soon as a metric fails (or the judged metrics' score falls below marginal): the other metrics stop.</item>
/// <item>Inconclusive as soon as a metric is Inconclusive (or the score is between marginal and pass).</item>
/// <item>Successful when every metric is.</item>
/// <item>Terminated (<c>spec.terminate</c>): Failed or Inconclusive if a metric already was, else Successful.</item>
/// </list>
/// A decided run is never re-decided: its phase, message and measurements stay as written.
/// </summary>
public static class RunAnalysis
{
    public static bool IsTerminal(AnalysisPhase? phase) => phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;

    /// <summary>The first status of a run: Running, measuring from <paramref name="now"/>.</summary>
    public static AnalysisRunStatus Start(AnalysisRunSpec spec, DateTimeOffset now) =>
        new()
        {
            Phase = AnalysisPhase.Running,
            StartedAt = now,
            Message = "measuring",
            MetricResults = (spec.Metrics ?? []).Select(m => new MetricResult { Name = m.Name ?? string.Empty, DryRun = m.DryRun is true ? true : null }).ToList(),
        };

    /// <summary>A run whose spec cannot be measured: Error, with every reason.</summary>
    public static AnalysisRunStatus Invalid(IReadOnlyList<AnalysisError> errors, DateTimeOffset now) =>
        new()
        {
            Phase = AnalysisPhase.Error,
            Message = string.Join("; ", errors.Select(e => e.Message)),
            StartedAt = now,
            FinishedAt = now,
        };

    /// <summary>Adds one measurement to the named metric's results.</summary>
    public static AnalysisRunStatus Record(AnalysisRunStatus status, CanaryMetric metric, Measurement measurement)
    {
        var results = (status.MetricResults ?? []).ToList();
        var index = results.FindIndex(r => r.Name == metric.Name);
        var updated = MetricAnalysis.Record(index >= 0 ? results[index] : null, metric, measurement);
        if (index >= 0)
        {
            results[index] = updated;
        }
        else
        {
            results.Add(updated);
        }

        return status with { MetricResults = results };
    }

    public static RunProgress Evaluate(AnalysisRunSpec spec, AnalysisRunStatus? stored, DateTimeOffset now)
    {
        var status = stored ?? Start(spec, now);
        if (IsTerminal(status.Phase))
        {
            return new RunProgress(status, [], null);
        }

        var startedAt = status.StartedAt ?? now;
        var metrics = spec.Metrics ?? [];
        var progress = metrics.Select(m => (Metric: m, Progress: MetricAnalysis.Evaluate(m, status.Metric(m.Name ?? string.Empty), startedAt, spec.PauseSeconds))).ToList();
        var results = progress.Select(p => p.Progress.Result).ToList();
        var real = progress.Where(p => !p.Metric.IsDryRun).ToList();
        var judged = real.Where(p => p.Metric.Judge is not null && p.Progress.Result.Phase != AnalysisPhase.Inconclusive).ToList();
        var score = JudgeScoring.Score(
            judged.Count(p => p.Progress.Result.Phase == AnalysisPhase.Successful),
            judged.Count(p => p.Progress.Result.Phase == AnalysisPhase.Failed),
            judged.Count(p => p.Progress.Result.Phase == AnalysisPhase.Running),
            spec.ScoreThresholds);

        var failed = real.FirstOrDefault(p => p.Metric.Judge is null && p.Progress.Result.Phase == AnalysisPhase.Failed);
        var inconclusive = real.FirstOrDefault(p => p.Progress.Result.Phase == AnalysisPhase.Inconclusive);
        var judgedFailed = judged.FirstOrDefault(p => p.Progress.Result.Phase == AnalysisPhase.Failed);
        var running = progress.Where(p => p.Progress.Result.Phase == AnalysisPhase.Running).ToList();
        var next = status with { MetricResults = results, Score = score, Summary = Summarize(progress.Select(p => (p.Metric, p.Progress.Result)), spec.PauseSeconds) };

        (AnalysisPhase Phase, string Message, (CanaryMetric Metric, MetricProgress Progress)? By)? decided = null;
        if (failed.Metric is not null)
        {
            decided = (AnalysisPhase.Failed, $"metric {failed.Metric.Name} failed: {failed.Progress.Result.Message}", failed);
        }
        else if (score is { Phase: AnalysisPhase.Failed })
        {
            decided = (AnalysisPhase.Failed, $"{JudgeScoring.Describe(score, spec.ScoreThresholds)}: below marginal{(judgedFailed.Metric is null ? "" : $"; metric {judgedFailed.Metric.Name} failed: {judgedFailed.Progress.Result.Message}")}", judgedFailed.Metric is null ? null : judgedFailed);
        }
        else if (inconclusive.Metric is not null)
        {
            decided = (AnalysisPhase.Inconclusive, $"metric {inconclusive.Metric.Name} is inconclusive: {inconclusive.Progress.Result.Message}", inconclusive);
        }
        else if (score is { Phase: AnalysisPhase.Inconclusive })
        {
            decided = (AnalysisPhase.Inconclusive, $"{JudgeScoring.Describe(score, spec.ScoreThresholds)}: marginal{(judgedFailed.Metric is null ? "" : $"; metric {judgedFailed.Metric.Name} failed: {judgedFailed.Progress.Result.Message}")}", judgedFailed.Metric is null ? null : judgedFailed);
        }
        else if (running.Count == 0)
        {
            decided = (AnalysisPhase.Successful, SuccessMessage(progress.Select(p => (p.Metric, p.Progress.Result)).ToList(), score, spec.ScoreThresholds), null);
        }
        else if (spec.Terminate is true)
        {
            var measured = results.Sum(r => r.Measurements?.Count ?? 0);
            decided = (AnalysisPhase.Successful, $"terminated (spec.terminate) after {measured} measurements, none failed", null);
        }

        if (decided is { } d)
        {
            var stopped = next.MetricResults!.Select(r => r.Phase == AnalysisPhase.Running
                ? r with { Message = $"not measured further: {(spec.Terminate is true && d.By is null && d.Phase == AnalysisPhase.Successful ? "the run was terminated" : "the run is decided")}; {r.Message}" }
                : r).ToList();
            return new RunProgress(next with
            {
                Phase = d.Phase,
                Message = d.Message,
                FinishedAt = now,
                MetricResults = stopped,
                DecidedBy = d.By is { } by ? Decider(by.Metric, by.Progress.Result) : null,
            }, [], null);
        }

        var due = running.Where(p => p.Progress.IsDue(now)).Select(p => p.Metric.Name ?? string.Empty).ToList();
        var nextAt = running.Where(p => !p.Progress.IsDue(now)).Select(p => p.Progress.DueAt).Min();
        var message = $"measuring: {string.Join(", ", running.Select(p => $"{p.Metric.Name} {p.Progress.Result.Count}/{MetricAnalysis.CountOf(p.Metric, spec.PauseSeconds)}"))}";
        return new RunProgress(next with { Phase = AnalysisPhase.Running, Message = message }, due, nextAt);
    }

    private static AnalysisDecider Decider(CanaryMetric metric, MetricResult result)
    {
        var measurements = result.Measurements ?? [];
        var deciding = measurements.LastOrDefault(m => m.Phase == result.Phase) ?? measurements.LastOrDefault();
        return new AnalysisDecider { Metric = metric.Name ?? string.Empty, Phase = result.Phase, Value = deciding?.Value?.DeepClone() };
    }

    private static string SuccessMessage(IReadOnlyList<(CanaryMetric Metric, MetricResult Result)> metrics, JudgeScore? score, JudgeScoreThresholds? thresholds)
    {
        var real = metrics.Count(m => !m.Metric.IsDryRun);
        var dry = metrics.Count - real;
        var text = real == 0 ? "no metric decides this run" : real == 1 ? "the metric passed" : $"all {real} metrics passed";
        if (dry > 0)
        {
            var dryFailed = metrics.Where(m => m.Metric.IsDryRun && m.Result.Phase != AnalysisPhase.Successful).Select(m => $"{m.Metric.Name} {m.Result.Phase}").ToList();
            text += $"; {dry} dry-run{(dryFailed.Count > 0 ? $" (would have failed it: {string.Join(", ", dryFailed)})" : " passed too")}";
        }

        return score is null ? text : $"{text}; {JudgeScoring.Describe(score, thresholds)}";
    }

    private static string Summarize(IEnumerable<(CanaryMetric Metric, MetricResult Result)> metrics, int? pauseSeconds) =>
        string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture,
            $"{m.Metric.Name} {m.Result.Phase}{(m.Metric.IsDryRun ? " (dry-run)" : "")} {m.Result.Count}/{MetricAnalysis.CountOf(m.Metric, pauseSeconds)}")));
}
