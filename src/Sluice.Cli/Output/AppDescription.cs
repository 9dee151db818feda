using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Cli.Output;

/// <summary><c>sluice describe app</c>: the components, the revisions, the rollouts that move between them, recent Events. Pure.</summary>
internal static class AppDescription
{
    public static string Render(JsonObject app, IReadOnlyList<JsonObject> revisions, IReadOnlyList<JsonObject> rollouts, IEnumerable<JsonObject> events, DateTimeOffset now)
    {
        var text = new StringBuilder();
        void Field(string label, string value) => text.Append($"{label + ":",-14}{value}\n");
        var annotations = app["metadata"]?["annotations"] as JsonObject;
        Field("Name", app["metadata"]?["name"]?.GetValue<string>() ?? "");
        Field("Namespace", app["metadata"]?["namespace"]?.GetValue<string>() ?? "");
        Field("Revision", app["status"]?["latestRevision"]?["name"]?.GetValue<string>() ?? "<none>");
        Field("Rolled by", annotations?["app.oam.dev/rollout-template"]?.GetValue<string>() == "true"
            ? "AppRollouts (app.oam.dev/rollout-template)"
            : annotations?["app.oam.dev/rolling-components"]?.GetValue<string>() is { } list ? $"AppRollouts for {list}" : "the Application controller directly");

        text.Append("\nComponents:\n");
        var components = (app["spec"]?["components"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        text.Append(components.Count == 0
            ? "  <none>\n"
            : Indent(TextTable.Render(["NAME", "TYPE", "PROPERTIES"], components.Select(c => (IReadOnlyList<string>)
            [
                c["name"]?.GetValue<string>() ?? "", c["type"]?.GetValue<string>() ?? "", c["properties"]?.ToJsonString() ?? "{}",
            ]))));

        text.Append("\nRevisions:\n");
        text.Append(revisions.Count == 0 ? "  <none>\n" : Indent(ResourceTables.Revisions.Render(revisions, now, wide: false, withNamespace: false)));
        text.Append("\nRollouts:\n");
        text.Append(rollouts.Count == 0 ? "  <none>\n" : Indent(ResourceTables.Rollouts.Render(rollouts, now, wide: false, withNamespace: false)));

        text.Append("\nEvents:\n");
        var recent = events.OrderBy(e => e["lastTimestamp"]?.GetValue<string>(), StringComparer.Ordinal).TakeLast(RolloutDescription.MaxEvents).ToList();
        text.Append(recent.Count == 0
            ? "  <none>\n"
            : Indent(TextTable.Render(["TYPE", "REASON", "AGE", "MESSAGE"], recent.Select(e => (IReadOnlyList<string>)
            [
                e["type"]?.GetValue<string>() ?? "", e["reason"]?.GetValue<string>() ?? "", Age.Of(e["lastTimestamp"], now), e["message"]?.GetValue<string>() ?? "",
            ]))));
        return text.ToString();
    }

    public static string Indent(string table) =>
        string.Concat(table.Split('\n').Where(l => l.Length > 0).Select(l => $"  {l}\n"));
}
