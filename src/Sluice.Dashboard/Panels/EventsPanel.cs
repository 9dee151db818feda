using System.Text.Json.Nodes;
using Sluice.Dashboard.Markup;
using Sluice.Dashboard.Views;

namespace Sluice.Dashboard.Panels;

/// <summary>The rollout's recent Events, newest first.</summary>
internal sealed class EventsPanel : IRolloutPanel
{
    public const int Shown = 20;

    public string Id => "events";

    public string Title => "Events";

    public Html Render(RolloutPageModel model)
    {
        if (model.Events.Count == 0)
        {
            return Html.Of($"<p class=\"empty\">No Events.</p>");
        }

        var rows = model.Events.Take(Shown).Select(e => Html.Of($"""
            <tr data-reason="{e["reason"]?.GetValue<string>()}"><td data-label="Type">{e["type"]?.GetValue<string>()}</td><th scope="row" data-label="Reason">{e["reason"]?.GetValue<string>()}</th><td data-label="Age">{Format.Age(When(e), model.Now)}</td><td data-label="Count">{Count(e)}</td><td data-label="Message">{e["message"]?.GetValue<string>()}</td></tr>
            """));
        return Html.Of($"""
            <table class="list events">
            <caption class="visually-hidden">Events, newest first</caption>
            <thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Age</th><th scope="col">Count</th><th scope="col">Message</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """);
    }

    /// <summary>When an Event last happened (lastTimestamp, else eventTime, else its creation).</summary>
    public static string? When(JsonObject e) =>
        e["lastTimestamp"]?.GetValue<string>() ?? e["eventTime"]?.GetValue<string>() ?? e["metadata"]?["creationTimestamp"]?.GetValue<string>();

    private static int Count(JsonObject e) => e["count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 1;
}
