using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Operations;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Core.Operations;
using Sluice.Dashboard.Markup;
using Sluice.Dashboard.Panels;

namespace Sluice.Dashboard.Views;

/// <summary>One rollout: a summary, the actions that apply now, then its panels (<see cref="RolloutPanels"/>).</summary>
internal sealed class RolloutPageView(DashboardContext context, string ns, string name, Flash? flash) : ILiveView
{
    public string Title => $"{name} ({ns})";

    public int StatusCode => context.Cache.Get(ResourceKind.AppRollout, ns, name) is null ? 404 : 200;

    /// <summary>
    /// The rollout's own kinds and Events; and, as its plan asks, the kinds its routers read (only those the plan names,
    /// so that a cluster without Istio's CRDs is not watched for VirtualServices) and its AnalysisRuns.
    /// </summary>
    public IReadOnlyList<(ResourceKind Kind, string? Namespace)> Watches
    {
        get
        {
            var stored = context.Cache.Get(ResourceKind.AppRollout, ns, name);
            var rollout = stored is null ? null : SluiceJson.Deserialize<AppRollout>(stored);
            var kinds = RolloutSnapshots.Kinds.Append(ResourceKind.Event)
                .Concat(rollout is null ? [] : RolloutTraffic.Kinds(rollout))
                .Concat(rollout is not null && RolloutAnalysis.HasChecks(rollout) ? [AnalysisKinds.AnalysisRun] : [])
                .Distinct();
            return [.. kinds.Select(k => (k, (string?)ns))];
        }
    }

    public bool Affects(ResourceKind kind, InformerEvent change) =>
        change.Object["metadata"]?["namespace"]?.GetValue<string>() == ns;

    public IReadOnlyList<Region> Regions(DateTimeOffset now)
    {
        var snapshot = RolloutSnapshots.Collect(context.Cache, ns, name, now);
        if (snapshot is null)
        {
            var gone = Html.Of($"<p class=\"empty\">approllout/{name} does not exist in namespace {ns} (or no longer does). <a href=\"/\">All rollouts</a></p>");
            return [Layout.Connection(context), new("summary", gone), new("actions", Html.Empty), .. RolloutPanels.All.Select(p => new Region(p.Id, Html.Empty))];
        }

        var rollout = snapshot.Rollout;
        var facts = new RolloutFacts(rollout);
        var traffic = RolloutTraffic.Applies(rollout)
            // The cache answers at once: a reader never waits on the network.
            ? RolloutTraffic.ObserveAsync(new ReaderKubeApi(context.Cache), rollout, live: null, CancellationToken.None).GetAwaiter().GetResult()
            : null;
        var model = new RolloutPageModel(rollout, facts, snapshot, Events(), now)
        {
            Traffic = traffic,
            TrafficHistory = traffic is null ? [] : context.Traffic.Record($"{ns}/{name}/{rollout.Metadata.Uid}", traffic, now),
            Runs = RolloutAnalysis.HasChecks(rollout) ? RolloutAnalysis.Runs(context.Cache, ns, name) : [],
        };
        return
        [
            Layout.Connection(context),
            new("summary", Summary(model)),
            new("actions", Actions(rollout)),
            .. RolloutPanels.All.Select(p => new Region(p.Id, p.Render(model))),
        ];
    }

    public Html Body(IReadOnlyDictionary<string, Html> regions)
    {
        var panels = RolloutPanels.All.Select(p => Html.Of($"""
            <section class="panel" id="panel-{p.Id}" aria-labelledby="{p.Id}-heading">
            <h2 id="{p.Id}-heading">{p.Title}</h2>
            <div id="{p.Id}" class="live">{regions[p.Id]}</div>
            </section>
            """));
        return Html.Of($"""
            <nav aria-label="Breadcrumb" class="crumbs"><a href="/">Rollouts</a> <span aria-hidden="true">›</span> {ns} <span aria-hidden="true">›</span> <span aria-current="page">{name}</span></nav>
            <h1>{name}</h1>
            {flash?.Render() ?? Html.Empty}
            <div id="summary" class="live summary">{regions["summary"]}</div>
            <section class="panel actions-panel" aria-labelledby="actions-heading">
            <h2 id="actions-heading">Actions</h2>
            <div id="actions" class="live">{regions["actions"]}</div>
            </section>
            <div class="panels">{panels}</div>
            """);
    }

    private List<JsonObject> Events() =>
        context.Cache.List(ResourceKind.Event, ns)
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == "AppRollout" && e["involvedObject"]?["name"]?.GetValue<string>() == name)
            .OrderByDescending(e => EventsPanel.When(e), StringComparer.Ordinal)
            .ThenByDescending(e => e["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
            .ToList();

    private static Html Summary(RolloutPageModel model)
    {
        var facts = model.Facts;
        var look = RolloutLook.Of(facts);
        var snapshot = model.Snapshot;
        var failure = facts.Failure is { } f
            ? Html.Of($"<p class=\"failure\" role=\"note\"><strong>Failed: <span data-failure-reason>{f.Reason}</span></strong>: {f.Message}</p>")
            : Html.Empty;
        var abort = facts.Rollout.Metadata.Annotation(AppRollout.AbortAnnotation) == "true" && !facts.Finished
            ? Html.Of($"<p class=\"warn\">Abort requested: the controller fails the rollout with reason Aborted.</p>")
            : Html.Empty;
        var available = snapshot.Workloads.Sum(w => w.Available);
        return Html.Of($"""
            <p class="state-line"><span class="state state-{look.Kind}" data-state="{look.Kind}" data-rolling-state="{facts.StateName}"><span aria-hidden="true">{look.Icon}</span> {look.Label}</span></p>
            {failure}{abort}
            <dl class="facts">
            <div><dt>Namespace</dt><dd>{facts.Namespace}</dd></div>
            <div><dt>From</dt><dd>{facts.Source}{Images(snapshot.SourceImages)}</dd></div>
            <div><dt>To</dt><dd>{facts.Target}{Images(snapshot.TargetImages)}</dd></div>
            <div><dt>Batch</dt><dd data-batch>{facts.Batch}</dd></div>
            <div><dt>Pods</dt><dd>target {facts.TargetSize}, upgraded {facts.Upgraded}, ready {facts.Ready}, available {available}</dd></div>
            <div><dt>Plan</dt><dd>{facts.Plan.EffectiveStrategy.ToString()}, onFailure {facts.Plan.EffectiveOnFailure.ToString()}, deadline {facts.Plan.EffectiveProgressDeadlineSeconds}s{(facts.Plan.BatchPartition is { } p ? $", batchPartition {p}" : "")}{(facts.Plan.Paused == true ? ", paused" : "")}</dd></div>
            <div><dt>Age</dt><dd>{Format.Age(facts.Rollout.Metadata.CreationTimestamp, model.Now)}</dd></div>
            </dl>
            """);
    }

    private static Html Images(IReadOnlyList<string> images) => images.Count == 0 ? Html.Empty : Html.Of($" <span class=\"muted\">({string.Join(", ", images)})</span>");

    /// <summary>A button for each action that applies now (it asks for confirmation, naming what will happen), and why the others do not.</summary>
    private Html Actions(AppRollout rollout)
    {
        var buttons = new List<Html>();
        var refused = new List<Html>();
        foreach (var action in DashboardActions.All)
        {
            var change = RolloutOperations.Decide(action.Operation, rollout);
            if (change.Refused)
            {
                refused.Add(Html.Of($"<li><strong>{action.Label}</strong>: {change.Refusal}</li>"));
                continue;
            }

            var confirm = $"{Format.RolloutPath(ns, name)}/confirm/{action.Slug}";
            buttons.Add(Html.Of($"""
                <form method="get" action="{confirm}" class="action"><button type="submit" id="action-{action.Slug}" class="{action.Style}" data-confirm data-action="{Format.RolloutPath(ns, name)}/actions/{action.Slug}" data-label="{action.Label}" data-intent="{change.Intent}">{action.Label}</button></form>
                """));
        }

        var none = buttons.Count == 0 ? Html.Of($"<p class=\"empty\">No action applies in this state.</p>") : Html.Empty;
        var why = refused.Count == 0
            ? Html.Empty
            : Html.Of($"<details class=\"refused\"><summary>Not available now ({refused.Count})</summary><ul>{refused}</ul></details>");
        return Html.Of($"<div class=\"buttons\">{buttons}</div>{none}{why}");
    }
}
