using System.Globalization;
using Sluice.Controllers.Operations;
using Sluice.Core.Engine;
using Sluice.Dashboard.Charts;
using Sluice.Dashboard.Markup;
using Sluice.Dashboard.Views;

namespace Sluice.Dashboard.Panels;

/// <summary>
/// Traffic: each router's weight, match rules and mirror now (the routers' own read-only observation, as
/// <c>sluice rollout watch</c> shows it), the Services they send to, the plan's traffic step per batch, and each router's
/// weight over time as a chart with the table of its changes.
/// </summary>
internal sealed class TrafficPanel : IRolloutPanel
{
    public string Id => "traffic";

    public string Title => "Traffic";

    public Html Render(RolloutPageModel model)
    {
        if (!RolloutTraffic.Applies(model.Rollout))
        {
            return Html.Of($"<p class=\"empty\">This plan routes no traffic (no trafficRouting or blueGreen): requests follow the pods.</p>");
        }

        if (model.Traffic is not { } picture)
        {
            return Html.Of($"<p class=\"empty\">The routers are read once the rollout names its Service.</p>");
        }

        var problem = picture.Problem is { } p ? Html.Of($"<p class=\"warn\">{p}</p>") : Html.Empty;
        return Html.Of($"""
            {problem}
            <p>Clients use Service <strong>{picture.Service}</strong>.</p>
            {Routers(picture)}
            {Services(picture)}
            {Plan(model)}
            {OverTime(model)}
            """);
    }

    private static Html Routers(TrafficPicture picture)
    {
        if (picture.Observed.Routes.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No router: the Services alone decide who answers.</p>");
        }

        var rows = picture.Observed.Routes.Select(r => Html.Of($"""
            <tr data-router="{r.Kind} {r.Name}" data-weight="{(r.Exists ? r.Weight : -1)}"><th scope="row" data-label="Router">{r.Kind} {r.Name}</th><td data-label="Weight to target">{(r.Exists ? $"{r.Weight}%" : "missing")}</td><td data-label="Split">{TrafficText.Split(r, picture)}</td><td data-label="Match rules">{TrafficText.MatchLine(r, picture) ?? "none"}</td><td data-label="Mirror">{TrafficText.Mirror(r, picture) ?? "none"}</td></tr>
            """));
        return Html.Of($"""
            <table class="list routers">
            <caption>Routers now</caption>
            <thead><tr><th scope="col">Router</th><th scope="col">Weight to target</th><th scope="col">Split</th><th scope="col">Match rules</th><th scope="col">Mirror</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    private static Html Services(TrafficPicture picture)
    {
        if (picture.Observed.Services.Count == 0)
        {
            return Html.Empty;
        }

        var items = picture.Observed.Services.Select(s => Html.Of($"<li>Service <strong>{s.Name}</strong> ({s.Role.ToString().ToLowerInvariant()}): {TrafficText.Service(s, picture)}</li>"));
        return Html.Of($"<ul class=\"services\" aria-label=\"Services\">{items}</ul>");
    }

    /// <summary>Each batch's traffic step as planned, and where the rollout stands.</summary>
    private static Html Plan(RolloutPageModel model)
    {
        var batches = model.Rollout.Spec.RolloutPlan?.RolloutBatches ?? [];
        if (batches.Count == 0 || model.Rollout.Spec.RolloutPlan?.TrafficRouting is null)
        {
            return Html.Empty;
        }

        var rows = batches.Select((b, i) =>
        {
            var state = PlanPanel.StateOf(model.Facts, i);
            var traffic = i == batches.Count - 1 ? "100%" : b.Traffic ?? "its share of the pods";
            var matches = b.Matches is { Count: > 0 } m ? TrafficText.Matches(m) : "none";
            return Html.Of($"""
                <tr data-step="{i + 1}" data-state="{state}"><th scope="row" data-label="Batch">Batch {i + 1}</th><td data-label="Weight">{traffic}</td><td data-label="Match rules">{matches}</td><td data-label="Mirror">{b.Mirror ?? "none"}</td><td data-label="State">{state}</td></tr>
                """);
        });
        return Html.Of($"""
            <table class="list traffic-plan">
            <caption>Traffic per batch (the plan)</caption>
            <thead><tr><th scope="col">Batch</th><th scope="col">Weight</th><th scope="col">Match rules</th><th scope="col">Mirror</th><th scope="col">State</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    /// <summary>Each router's weight since the dashboard began showing the rollout: a step chart and the table of changes, newest first.</summary>
    private static Html OverTime(RolloutPageModel model)
    {
        var samples = model.TrafficHistory;
        if (samples.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No router observed yet.</p>");
        }

        var start = samples[0].At;
        var end = model.Now > samples[^1].At ? model.Now : samples[^1].At;
        double Seconds(DateTimeOffset at) => (at - start).TotalSeconds;
        var series = samples.GroupBy(s => s.Router).Select(g => new ChartSeries(g.Key,
            [.. g.Select(s => new ChartPoint(Seconds(s.At), s.Weight, "weight", $"{g.Key}: {s.Weight}% to the target from {Clock(s.At)}"))], Steps: true)).ToList();
        var label = $"Weight to the target over time, 0 to 100%, from {Clock(start)} to {Clock(end)}: " +
            string.Join("; ", series.Select(s => $"{s.Name} {string.Join(", then ", s.Points.Select(p => $"{p.Y.ToString("0", CultureInfo.InvariantCulture)}%"))}"));
        var chart = SvgChart.Render(label, series, 0, Math.Max(1, Seconds(end)), (Clock(start), Clock(end)), 0, 100, unit: "%");
        var rows = samples.AsEnumerable().Reverse().Take(50).Select(s => Html.Of($"""
            <tr data-change="{s.Router}" data-weight="{s.Weight}"><td data-label="Time">{Clock(s.At)}</td><th scope="row" data-label="Router">{s.Router}</th><td data-label="Weight">{s.Weight}%</td><td data-label="Match rules">{(s.Matches.Length == 0 ? "none" : s.Matches)}</td><td data-label="Mirror">{(s.Mirror > 0 ? $"{s.Mirror}%" : "none")}</td></tr>
            """));
        var legend = series.Count > 1
            ? Html.Of($"<ul class=\"legend\" aria-hidden=\"true\">{series.Select((s, i) => Html.Of($"<li><span class=\"swatch series-{i % 4}\"></span>{s.Name}</li>"))}</ul>")
            : Html.Empty;
        return Html.Of($"""
            <h3 id="traffic-time-heading">Weight over time</h3>
            <figure class="chart-figure" aria-labelledby="traffic-time-heading">
            {chart}{legend}
            <figcaption class="muted">As this dashboard saw the routers since {Clock(start)} (the cluster keeps only their current rules).</figcaption>
            </figure>
            <table class="list traffic-changes">
            <caption>Router changes, newest first</caption>
            <thead><tr><th scope="col">Time</th><th scope="col">Router</th><th scope="col">Weight</th><th scope="col">Match rules</th><th scope="col">Mirror</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
