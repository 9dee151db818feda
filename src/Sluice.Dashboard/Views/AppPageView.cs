using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Core.Operations;
using Sluice.Dashboard.Diff;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>One Application: its components, its revisions and the rollouts between them, and a diff of two revisions.</summary>
internal sealed class AppPageView(DashboardContext context, string ns, string name, string? from, string? to) : ILiveView
{
    public string Title => $"{name} ({ns})";

    public int StatusCode => context.Cache.Get(ResourceKind.Application, ns, name) is null ? 404 : 200;

    public IReadOnlyList<(ResourceKind Kind, string? Namespace)> Watches =>
        [(ResourceKind.Application, ns), (ResourceKind.ApplicationRevision, ns), (ResourceKind.AppRollout, ns)];

    public bool Affects(ResourceKind kind, InformerEvent change) =>
        change.Object["metadata"]?["namespace"]?.GetValue<string>() == ns
        && (kind == ResourceKind.Application || kind == ResourceKind.ApplicationRevision || kind == ResourceKind.AppRollout);

    public IReadOnlyList<Region> Regions(DateTimeOffset now)
    {
        var app = context.Cache.Get(ResourceKind.Application, ns, name);
        var revisions = Revisions();
        if (app is null && revisions.Count == 0)
        {
            var gone = Html.Of($"<p class=\"empty\">application/{name} does not exist in namespace {ns} (or no longer does). <a href=\"/apps\">All applications</a></p>");
            return [Layout.Connection(context), new("app", gone), new("revisions", Html.Empty), new("diff", Html.Empty)];
        }

        return [Layout.Connection(context), new("app", App(app, now)), new("revisions", RevisionTable(revisions, now)), new("diff", DiffOf(revisions))];
    }

    public Html Body(IReadOnlyDictionary<string, Html> regions) => Html.Of($"""
        <nav aria-label="Breadcrumb" class="crumbs"><a href="/apps">Applications</a> <span aria-hidden="true">›</span> {ns} <span aria-hidden="true">›</span> <span aria-current="page">{name}</span></nav>
        <h1>{name}</h1>
        <div id="app" class="live">{regions["app"]}</div>
        <section class="panel" aria-labelledby="revisions-heading">
        <h2 id="revisions-heading">Revisions</h2>
        <div id="revisions" class="live">{regions["revisions"]}</div>
        </section>
        <section class="panel" aria-labelledby="diff-heading">
        <h2 id="diff-heading">Compare two revisions</h2>
        {DiffForm()}
        <div id="diff" class="live">{regions["diff"]}</div>
        </section>
        """);

    private List<JsonObject> Revisions() =>
        context.Cache.List(ResourceKind.ApplicationRevision, ns)
            .Where(r => r["metadata"]?["labels"]?["app.oam.dev/name"]?.GetValue<string>() == name)
            .OrderBy(r => Number(r)).ThenBy(r => AppListView.Name(r), StringComparer.Ordinal)
            .ToList();

    /// <summary>The N of &lt;app&gt;-vN, so that v10 follows v9.</summary>
    private static int Number(JsonObject revision)
    {
        var n = AppListView.Name(revision);
        var v = n.LastIndexOf("-v", StringComparison.Ordinal);
        return v >= 0 && int.TryParse(n[(v + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;
    }

    private Html App(JsonObject? app, DateTimeOffset now)
    {
        if (app is null)
        {
            return Html.Of($"<p class=\"empty\">The Application is gone; its revisions remain.</p>");
        }

        var components = (app["spec"]?["components"] as JsonArray ?? []).OfType<JsonObject>().Select(c => Html.Of($"""
            <tr><th scope="row" data-label="Component">{c["name"]?.GetValue<string>()}</th><td data-label="Type">{c["type"]?.GetValue<string>()}</td><td data-label="Properties"><code>{c["properties"]?.ToJsonString() ?? "{}"}</code></td></tr>
            """));
        var rendered = (app["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Rendered");
        return Html.Of($"""
            <dl class="facts">
            <div><dt>Namespace</dt><dd>{ns}</dd></div>
            <div><dt>Latest revision</dt><dd>{app["status"]?["latestRevision"]?["name"]?.GetValue<string>() ?? "none yet"}</dd></div>
            <div><dt>Rendered</dt><dd>{rendered?["status"]?.GetValue<string>() ?? "Unknown"}{(rendered?["message"]?.GetValue<string>() is { Length: > 0 } m ? ": " + m : "")}</dd></div>
            <div><dt>Age</dt><dd>{Format.Age(app["metadata"]?["creationTimestamp"]?.GetValue<string>(), now)}</dd></div>
            </dl>
            <table class="list components">
            <caption>Components</caption>
            <thead><tr><th scope="col">Component</th><th scope="col">Type</th><th scope="col">Properties</th></tr></thead>
            <tbody>{components}</tbody>
            </table>
            """);
    }

    private Html RevisionTable(List<JsonObject> revisions, DateTimeOffset now)
    {
        if (revisions.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No revisions yet.</p>");
        }

        var rollouts = context.Cache.List(ResourceKind.AppRollout, ns).Select(r => new RolloutFacts(SluiceJson.Deserialize<AppRollout>(r))).ToList();
        var rows = revisions.Select(r =>
        {
            var revision = AppListView.Name(r);
            var to = rollouts.Where(f => f.Target == revision).Select(f => Html.Of($"<a href=\"{Format.RolloutPath(ns, f.Name)}\">{f.Name}</a> ({f.StateName})"));
            return Html.Of($"""
                <tr data-revision="{revision}"><th scope="row" data-label="Revision">{revision}</th><td data-label="Images">{string.Join(", ", Images(r))}</td><td data-label="Rolled to by">{Html.Join(", ", to)}</td><td data-label="Age">{Format.Age(r["metadata"]?["creationTimestamp"]?.GetValue<string>(), now)}</td></tr>
                """);
        });
        return Html.Of($"""
            <table class="list revisions">
            <caption class="visually-hidden">Revisions, oldest first</caption>
            <thead><tr><th scope="col">Revision</th><th scope="col">Images</th><th scope="col">Rolled to by</th><th scope="col">Age</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    private Html DiffForm()
    {
        var names = Revisions().Select(AppListView.Name).ToList();
        var (a, b) = Pair(names);
        Html Options(string? selected) => Html.Join(names.Select(n => Html.Of($"<option value=\"{n}\"{(n == selected ? Html.Trusted(" selected") : Html.Empty)}>{n}</option>")));
        return Html.Of($"""
            <form class="filter" method="get" action="{Format.AppPath(ns, name)}" data-live-filter>
            <div class="field"><label for="diff-from">From</label><select id="diff-from" name="from">{Options(a)}</select></div>
            <div class="field"><label for="diff-to">To</label><select id="diff-to" name="to">{Options(b)}</select></div>
            <button type="submit">Compare</button>
            </form>
            """);
    }

    /// <summary>The revisions asked for, else the last two.</summary>
    private (string? From, string? To) Pair(List<string> names) =>
        (from is not null && names.Contains(from) ? from : names.Count >= 2 ? names[^2] : names.FirstOrDefault(),
         to is not null && names.Contains(to) ? to : names.LastOrDefault());

    private Html DiffOf(List<JsonObject> revisions)
    {
        var (a, b) = Pair(revisions.Select(AppListView.Name).ToList());
        var before = revisions.FirstOrDefault(r => AppListView.Name(r) == a);
        var after = revisions.FirstOrDefault(r => AppListView.Name(r) == b);
        if (before is null || after is null)
        {
            return Html.Of($"<p class=\"empty\">Two revisions are needed to compare.</p>");
        }

        var lines = LineDiff.Lines(Yaml(before), Yaml(after));
        var hunks = LineDiff.Hunks(lines);
        if (hunks.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">{a} and {b} are the same.</p>");
        }

        var added = lines.Count(l => l.Kind == DiffKind.Added);
        var removed = lines.Count(l => l.Kind == DiffKind.Removed);
        var body = Html.Join(hunks.Select(h => Html.Of($"""
            <div class="hunk">{Html.Join(h.Lines.Select(Line))}</div>
            """)));
        return Html.Of($"""
            <p class="diff-summary">{a} → {b}: {added} line{(added == 1 ? "" : "s")} added, {removed} removed (the revisions' application and rendered workloads, as YAML; Secret values hidden).</p>
            <pre class="diff" tabindex="0" aria-label="Differences from {a} to {b}">{body}</pre>
            """);
    }

    private static Html Line(DiffLine line) => line.Kind switch
    {
        DiffKind.Added => Html.Of($"<ins><span class=\"mark\">+</span>{line.Text}</ins>"),
        DiffKind.Removed => Html.Of($"<del><span class=\"mark\">-</span>{line.Text}</del>"),
        _ => Html.Of($"<span class=\"same\"><span class=\"mark\"> </span>{line.Text}</span>"),
    };

    private static string Yaml(JsonObject revision) => RevisionText.Of(revision);

    private static IEnumerable<string> Images(JsonObject revision) =>
        (revision["spec"]?["components"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(c => c["workload"]?["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
            .Select(c => c?["image"]?.GetValue<string>() ?? "-");
}
