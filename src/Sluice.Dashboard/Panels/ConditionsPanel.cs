using Sluice.Dashboard.Markup;
using Sluice.Dashboard.Views;

namespace Sluice.Dashboard.Panels;

/// <summary>The rollout's conditions: type, status, reason, since when, message.</summary>
internal sealed class ConditionsPanel : IRolloutPanel
{
    public string Id => "conditions";

    public string Title => "Conditions";

    public Html Render(RolloutPageModel model)
    {
        var conditions = model.Facts.Status?.Conditions ?? [];
        if (conditions.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No conditions yet.</p>");
        }

        var rows = conditions.Select(c => Html.Of($"""
            <tr data-condition="{c.Type}"><th scope="row" data-label="Type">{c.Type}</th><td data-label="Status">{c.Status.ToString()}</td><td data-label="Reason" data-reason>{c.Reason ?? ""}</td><td data-label="Since">{Format.Age(c.LastTransitionTime, model.Now)}</td><td data-label="Message">{c.Message ?? ""}</td></tr>
            """));
        return Html.Of($"""
            <table class="list conditions">
            <caption class="visually-hidden">Conditions</caption>
            <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Message</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }
}
