using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Core.Operations;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>
/// Every AppRollout the dashboard sees: state, a progress bar, the batch, revisions from → to, age; filtered by
/// namespace, kind of state and a search of names and revisions (all server-side, so it works without the script too).
/// </summary>
internal sealed class RolloutListView(DashboardContext context, ListFilter filter) : ILiveView
{
    public string Title => "Rollouts";

    public int StatusCode => 200;

    public IReadOnlyList<(ResourceKind Kind, string? Namespace)> Watches => [(ResourceKind.AppRollout, context.Scope)];

    public bool Affects(ResourceKind kind, InformerEvent change) => kind == ResourceKind.AppRollout;

    public IReadOnlyList<Region> Regions(DateTimeOffset now) => [Layout.Connection(context), new("rollouts", Table(now))];

    public Html Body(IReadOnlyDictionary<string, Html> regions) => Html.Of($"""
        <h1>Rollouts</h1>
        {filter.Form("/", context.Namespaces(), withState: true, "Search names and revisions")}
        <section aria-labelledby="rollouts-heading">
        <h2 id="rollouts-heading" class="visually-hidden">Matching rollouts</h2>
        <div id="rollouts" class="live">{regions["rollouts"]}</div>
        </section>
        """);

    private Html Table(DateTimeOffset now)
    {
        var all = context.Cache.List(ResourceKind.AppRollout, filter.Namespace ?? context.Scope)
            .Select(o => new RolloutFacts(SluiceJson.Deserialize<AppRollout>(o)))
            .OrderBy(f => f.Namespace, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var shown = all.Where(f => filter.Matches(f.Namespace, RolloutLook.Of(f).Kind, f.Name, f.Source, f.Target, f.StateName)).ToList();
        var count = Html.Of($"<p class=\"count\">{Count(shown.Count, all.Count)}</p>");
        if (shown.Count == 0)
        {
            return Html.Of($"{count}<p class=\"empty\">{(all.Count == 0 ? "No AppRollouts yet. Apply one (kubectl apply -f ...) and it appears here." : "No rollout matches the filter.")}</p>");
        }

        var rows = shown.Select(f =>
        {
            var look = RolloutLook.Of(f);
            var target = Math.Max(f.TargetSize, 0);
            var ready = Math.Clamp(f.Ready, 0, Math.Max(target, 0));
            return Html.Of($"""
                <tr data-rollout="{f.Namespace}/{f.Name}" data-state="{look.Kind}">
                <th scope="row" data-label="Name"><a href="{Format.RolloutPath(f.Namespace, f.Name)}">{f.Name}</a></th>
                <td data-label="Namespace">{f.Namespace}</td>
                <td data-label="State"><span class="state state-{look.Kind}"><span aria-hidden="true">{look.Icon}</span> {look.Label}</span></td>
                <td data-label="Progress"><progress max="{Math.Max(target, 1)}" value="{ready}" aria-label="{ready} of {target} pods ready on {f.Target}"></progress> <span class="progress-text">{ready}/{target}</span></td>
                <td data-label="Batch">{f.Batch}</td>
                <td data-label="Revisions">{f.Source} <span aria-label="to">→</span> {f.Target}</td>
                <td data-label="Age">{Format.Age(f.Rollout.Metadata.CreationTimestamp, now)}</td>
                </tr>
                """);
        });
        return Html.Of($"""
            {count}
            <table class="list rollouts">
            <caption class="visually-hidden">AppRollouts: state, pods ready, batch, revisions and age</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Namespace</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Batch</th><th scope="col">From → to</th><th scope="col">Age</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    private static string Count(int shown, int all) => shown == all ? $"{all} rollout{(all == 1 ? "" : "s")}" : $"{shown} of {all} rollouts";
}
