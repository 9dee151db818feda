using Sluice.Controllers.Operations;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Panels;

/// <summary>Pods per revision and their readiness: a count per revision, then each workload's pods.</summary>
internal sealed class PodsPanel : IRolloutPanel
{
    public string Id => "pods";

    public string Title => "Pods";

    public Html Render(RolloutPageModel model)
    {
        var workloads = model.Snapshot.Workloads;
        if (workloads.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No workload yet: it appears once the rollout has located its revisions.</p>");
        }

        var byRevision = workloads.SelectMany(w => w.Pods).GroupBy(p => p.Revision)
            .OrderByDescending(g => g.Key == model.Facts.Target)
            .Select(g => Html.Of($"<li><strong>{g.Key}</strong>: {g.Count()} pod{(g.Count() == 1 ? "" : "s")}, {g.Count(p => p.Health == PodHealth.Ready)} ready</li>"));
        var tables = workloads.Select(w => Html.Of($"""
            <h3>{w.Kind} {w.Name} <span class="muted">({w.Revision})</span></h3>
            <p>{w.Ready} of {w.Replicas} ready, {w.Available} available</p>
            {Pods(w)}
            """));
        return Html.Of($"""
            <ul class="revisions-count" aria-label="Pods by revision">{byRevision}</ul>
            {tables}
            """);
    }

    private static Html Pods(WatchedWorkload workload)
    {
        if (workload.Pods.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No pods.</p>");
        }

        var rows = workload.Pods.Select(p =>
        {
            var (icon, health) = p.Health switch
            {
                PodHealth.Ready => ("✔", "ready"),
                PodHealth.Failed => ("✖", "failed"),
                _ => ("◌", "not ready"),
            };
            return Html.Of($"""
                <tr data-pod="{p.Name}" data-health="{health}"><th scope="row" data-label="Pod">{p.Name}</th><td data-label="Revision">{p.Revision}</td><td data-label="Ready"><span class="health health-{p.Health.ToString().ToLowerInvariant()}"><span aria-hidden="true">{icon}</span> {health}</span></td><td data-label="Info">{p.Info}</td><td data-label="Image">{p.Image}</td></tr>
                """);
        });
        return Html.Of($"""
            <table class="list pods">
            <caption class="visually-hidden">Pods of {workload.Kind} {workload.Name}</caption>
            <thead><tr><th scope="col">Pod</th><th scope="col">Revision</th><th scope="col">Ready</th><th scope="col">Info</th><th scope="col">Image</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }
}
