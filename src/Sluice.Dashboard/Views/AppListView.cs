using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>Every Application: components, latest revision, whether it rendered, revisions kept, age.</summary>
internal sealed class AppListView(DashboardContext context, ListFilter filter) : ILiveView
{
    public string Title => "Applications";

    public int StatusCode => 200;

    public IReadOnlyList<(ResourceKind Kind, string? Namespace)> Watches =>
        [(ResourceKind.Application, context.Scope), (ResourceKind.ApplicationRevision, context.Scope)];

    public bool Affects(ResourceKind kind, InformerEvent change) => kind == ResourceKind.Application || kind == ResourceKind.ApplicationRevision;

    public IReadOnlyList<Region> Regions(DateTimeOffset now) => [Layout.Connection(context), new("apps", Table(now))];

    public Html Body(IReadOnlyDictionary<string, Html> regions) => Html.Of($"""
        <h1>Applications</h1>
        {filter.Form("/apps", context.Namespaces(), withState: false, "Search names, components and images")}
        <section aria-labelledby="apps-heading">
        <h2 id="apps-heading" class="visually-hidden">Matching applications</h2>
        <div id="apps" class="live">{regions["apps"]}</div>
        </section>
        """);

    private Html Table(DateTimeOffset now)
    {
        var revisions = context.Cache.List(ResourceKind.ApplicationRevision, filter.Namespace ?? context.Scope);
        var apps = context.Cache.List(ResourceKind.Application, filter.Namespace ?? context.Scope)
            .OrderBy(a => Ns(a), StringComparer.Ordinal).ThenBy(a => Name(a), StringComparer.Ordinal).ToList();
        var shown = apps.Where(a => filter.Matches(Ns(a), "", Name(a), Components(a), Images(a))).ToList();
        var count = Html.Of($"<p class=\"count\">{(shown.Count == apps.Count ? $"{apps.Count} application{(apps.Count == 1 ? "" : "s")}" : $"{shown.Count} of {apps.Count} applications")}</p>");
        if (shown.Count == 0)
        {
            return Html.Of($"{count}<p class=\"empty\">{(apps.Count == 0 ? "No Applications yet." : "No application matches the filter.")}</p>");
        }

        var rows = shown.Select(a =>
        {
            var kept = revisions.Count(r => r["metadata"]?["namespace"]?.GetValue<string>() == Ns(a) && r["metadata"]?["labels"]?["app.oam.dev/name"]?.GetValue<string>() == Name(a));
            var rendered = (a["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Rendered");
            return Html.Of($"""
                <tr data-app="{Ns(a)}/{Name(a)}">
                <th scope="row" data-label="Name"><a href="{Format.AppPath(Ns(a), Name(a))}">{Name(a)}</a></th>
                <td data-label="Namespace">{Ns(a)}</td>
                <td data-label="Components">{Components(a)}</td>
                <td data-label="Revision">{a["status"]?["latestRevision"]?["name"]?.GetValue<string>() ?? "none yet"}</td>
                <td data-label="Rendered">{rendered?["status"]?.GetValue<string>() ?? "Unknown"}{(rendered?["status"]?.GetValue<string>() == "False" ? $": {rendered["message"]?.GetValue<string>()}" : "")}</td>
                <td data-label="Revisions">{kept}</td>
                <td data-label="Age">{Format.Age(a["metadata"]?["creationTimestamp"]?.GetValue<string>(), now)}</td>
                </tr>
                """);
        });
        return Html.Of($"""
            {count}
            <table class="list apps">
            <caption class="visually-hidden">Applications</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Namespace</th><th scope="col">Components</th><th scope="col">Latest revision</th><th scope="col">Rendered</th><th scope="col">Revisions</th><th scope="col">Age</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    public static string Ns(JsonObject o) => o["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    public static string Name(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static string Components(JsonObject app) =>
        string.Join(", ", (app["spec"]?["components"] as JsonArray ?? []).OfType<JsonObject>().Select(c => $"{c["name"]?.GetValue<string>()} ({c["type"]?.GetValue<string>()})"));

    private static string Images(JsonObject app) =>
        string.Join(" ", (app["spec"]?["components"] as JsonArray ?? []).OfType<JsonObject>().Select(c => c["properties"]?["image"]?.ToString() ?? ""));
}
