using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Operations;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Dashboard.Charts;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Panels;

/// <summary>
/// Analysis: the rollout's AnalysisRuns, newest first (the one its status names marked current); for each metric its
/// phase, what decides it, its counters, and its measurements as a chart with the success range drawn behind them, and
/// as a table (the chart's text equivalent).
/// </summary>
internal sealed class AnalysisPanel : IRolloutPanel
{
    /// <summary>The runs shown (the rollout keeps a few more).</summary>
    public const int Shown = 3;

    public string Id => "analysis";

    public string Title => "Analysis";

    public Html Render(RolloutPageModel model)
    {
        if (!RolloutAnalysis.HasChecks(model.Rollout))
        {
            return Html.Of($"<p class=\"empty\">This plan has no canaryMetric: batches are judged by their pods' readiness only.</p>");
        }

        if (model.Runs.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No AnalysisRun yet: a batch with metrics starts one after its traffic step.</p>");
        }

        var current = model.Rollout.Status?.AnalysisRun;
        return Html.Join(model.Runs.Take(Shown).Select(run => Run(run, run.Metadata.Name == current)));
    }

    private static Html Run(AnalysisRun run, bool current)
    {
        var phase = run.Status?.Phase ?? AnalysisPhase.Running;
        var metrics = (run.Spec.Metrics ?? []).Select(m => Metric(run, m));
        var message = run.Status?.Message is { Length: > 0 } text ? Html.Of($"<p>{text}</p>") : Html.Empty;
        return Html.Of($"""
            <section class="run" data-run="{run.Metadata.Name}" data-phase="{phase.ToString()}" aria-label="AnalysisRun {run.Metadata.Name}">
            <h3>AnalysisRun {run.Metadata.Name} <span class="muted">({RolloutAnalysis.BatchOf(run)}{(current ? ", current" : "")})</span>: <span class="phase phase-{phase.ToString().ToLowerInvariant()}"><span aria-hidden="true">{AnalysisText.Icon(phase)}</span> {phase.ToString()}</span></h3>
            {message}
            {metrics}
            </section>
            """);
    }

    private static Html Metric(AnalysisRun run, CanaryMetric metric)
    {
        var name = metric.Name ?? "";
        var result = run.Status?.Metric(name);
        var phase = result?.Phase ?? AnalysisPhase.Running;
        var measurements = result?.Measurements ?? [];
        var range = SuccessRange.Of(metric);
        var id = $"metric-{run.Metadata.Name}-{name}";
        var counts = result is null ? "not measured yet" : AnalysisText.Counts(result);
        return Html.Of($"""
            <div class="metric" data-metric="{name}" data-phase="{phase.ToString()}">
            <h4 id="{id}">Metric {name}: <span class="phase phase-{phase.ToString().ToLowerInvariant()}"><span aria-hidden="true">{AnalysisText.Icon(phase)}</span> {phase.ToString()}</span></h4>
            <p>Decided by {AnalysisText.Condition(metric)}{(range is null ? "" : $"; success range {range}")}{(metric.IsDryRun ? " (dry run: recorded, never fails the rollout)" : "")}. {counts}.{(result?.Message is { Length: > 0 } m ? " " + m : "")}</p>
            {Chart(name, measurements, range)}
            {Table(name, measurements)}
            </div>
            """);
    }

    /// <summary>The numeric measurements in order (x is the measurement's number), over the success range's band.</summary>
    private static Html Chart(string name, IReadOnlyList<Measurement> measurements, SuccessRange? range)
    {
        var points = measurements.Select((m, i) => (Index: i + 1, Measurement: m, Value: Number(m.Value))).Where(p => p.Value is not null)
            .Select(p => new ChartPoint(p.Index, p.Value!.Value, p.Measurement.Phase.ToString().ToLowerInvariant(),
                $"measurement {p.Index}: {MeasurementVerdict.Show(p.Measurement.Value)}, {p.Measurement.Phase.ToString()}"))
            .ToList();
        if (points.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No numeric measurement to chart yet.</p>");
        }

        var values = points.Select(p => p.Y).Concat(new[] { range?.Min, range?.Max }.OfType<double>()).ToList();
        var (low, high) = Pad(values.Min(), values.Max());
        var label = $"Measurements of {name}, {points.Count}: {string.Join(", ", points.Select(p => $"{Show(p.Y)} ({p.Kind})"))}"
            + (range is null ? "; no success range to draw" : $"; success range {range}");
        var chart = SvgChart.Render(label, [new ChartSeries(name, points, Steps: false)], 0.5, Math.Max(measurements.Count, points.Count) + 0.5,
            ("oldest", $"newest (measurement {measurements.Count})"), low, high, range is null ? null : (range.Min, range.Max));
        return Html.Of($"""
            <figure class="chart-figure">
            {chart}
            <figcaption class="muted">{(range is null ? "Each measurement's value." : $"Each measurement's value; the shaded band is the success range ({range}).")} Failed measurements are drawn as squares.</figcaption>
            </figure>
            """);
    }

    private static Html Table(string name, IReadOnlyList<Measurement> measurements)
    {
        if (measurements.Count == 0)
        {
            return Html.Empty;
        }

        var rows = measurements.Select((m, i) => Html.Of($"""
            <tr data-measurement="{i + 1}" data-phase="{m.Phase.ToString()}"><th scope="row" data-label="#">{i + 1}</th><td data-label="At">{(m.FinishedAt ?? m.StartedAt)?.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"}</td><td data-label="Phase"><span aria-hidden="true">{AnalysisText.Icon(m.Phase)}</span> {m.Phase.ToString()}</td><td data-label="Value">{(m.Value is null ? "-" : MeasurementVerdict.Show(m.Value))}</td><td data-label="Message">{m.Message ?? ""}</td></tr>
            """));
        return Html.Of($"""
            <table class="list measurements">
            <caption>Measurements of {name}</caption>
            <thead><tr><th scope="col">#</th><th scope="col">At</th><th scope="col">Phase</th><th scope="col">Value</th><th scope="col">Message</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    /// <summary>A number, or a list or map holding exactly one number (a one-sample vector).</summary>
    internal static double? Number(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) && double.IsFinite(d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        JsonArray { Count: 1 } a => Number(a[0]),
        JsonObject { Count: 1 } o => Number(o.First().Value),
        _ => null,
    };

    private static (double Low, double High) Pad(double min, double max)
    {
        var span = max - min;
        var pad = span == 0 ? Math.Max(Math.Abs(max) * 0.05, 1) : span * 0.15;
        return (min - pad, max + pad);
    }

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
