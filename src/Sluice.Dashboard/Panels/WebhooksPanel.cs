using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Dashboard.Markup;
using Sluice.Dashboard.Views;

namespace Sluice.Dashboard.Panels;

/// <summary>
/// The webhooks the plan calls (where, how, what passes; a signing Secret by name only, never its value; a URL without
/// its query), and their results as far as the status and the Events show them: the WebhooksPassed condition, a
/// WebhookFailed failure, and the Webhook* Events.
/// </summary>
internal sealed class WebhooksPanel : IRolloutPanel
{
    public string Id => "webhooks";

    public string Title => "Webhooks";

    public Html Render(RolloutPageModel model)
    {
        var plan = model.Facts.Plan;
        var hooks = (plan.RolloutWebhooks ?? []).Select(h => (Where: Where(h, null), Hook: h))
            .Concat((plan.RolloutBatches ?? []).SelectMany((b, i) => (b.BatchRolloutWebhooks ?? []).Select(h => (Where: Where(h, i), Hook: h))))
            .ToList();
        if (hooks.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">This plan calls no webhooks.</p>");
        }

        var rows = hooks.Select(h => Html.Of($"""
            <tr><th scope="row" data-label="Name">{h.Hook.Name ?? "(unnamed)"}</th><td data-label="When">{h.Where}</td><td data-label="Call">{(h.Hook.Method ?? WebhookMethod.POST).ToString()} {Format.SafeUrl(h.Hook.Url)}</td><td data-label="Passes on">{(h.Hook.ExpectedStatus is { Count: > 0 } e ? string.Join(", ", e) : "200-202")}</td><td data-label="On failure">{(h.Hook.FailurePolicy ?? WebhookFailurePolicy.Retry).ToString()}</td><td data-label="Signed">{(h.Hook.SecretRef is { } s ? $"with Secret {s.Name}, key {s.Key}" : "no")}</td></tr>
            """));
        var results = new List<Html>();
        if (model.Facts.Status?.Condition(ConditionTypes.WebhooksPassed) is { } passed)
        {
            results.Add(Html.Of($"<li><span class=\"{(passed.Status == ConditionStatus.True ? "ok" : "warn")}\">{passed.Reason}</span> {passed.Message} <span class=\"muted\">({Format.Age(passed.LastTransitionTime, model.Now)} ago)</span></li>"));
        }

        if (model.Facts.Failure is { Reason: "WebhookFailed" } failed)
        {
            results.Add(Html.Of($"<li><span class=\"bad\">WebhookFailed</span> {failed.Message} <span class=\"muted\">({Format.Age(failed.LastTransitionTime, model.Now)} ago)</span></li>"));
        }

        foreach (var e in model.Events.Where(e => e["reason"]?.GetValue<string>()?.StartsWith("Webhook", StringComparison.Ordinal) == true).Take(10))
        {
            results.Add(Html.Of($"<li><span class=\"{(e["type"]?.GetValue<string>() == "Warning" ? "warn" : "ok")}\">{e["reason"]?.GetValue<string>()}</span> {e["message"]?.GetValue<string>()} <span class=\"muted\">(Event, {Format.Age(EventsPanel.When(e), model.Now)} ago)</span></li>"));
        }

        return Html.Of($"""
            <table class="list webhooks">
            <caption class="visually-hidden">Webhooks of the plan</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">When</th><th scope="col">Call</th><th scope="col">Passes on</th><th scope="col">On failure</th><th scope="col">Signed</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            <h3>Results</h3>
            {(results.Count == 0 ? Html.Of($"<p class=\"empty\">None called yet, as far as the status and Events show.</p>") : Html.Of($"<ul class=\"results\">{results}</ul>"))}
            """);
    }

    private static string Where(RolloutWebhook hook, int? batch)
    {
        var type = hook.Type is { } t ? ApiEnumJsonConverter<WebhookType>.NameOf(t) : "(no type: never called)";
        return batch is { } b ? $"{type}, batch {b + 1}" : hook.Type is WebhookType.PreBatchRollout or WebhookType.PostBatchRollout ? $"{type}, every batch" : type;
    }
}
