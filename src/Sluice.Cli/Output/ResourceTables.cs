using System.Text.Json.Nodes;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;

namespace Sluice.Cli.Output;

/// <summary>The kinds <c>sluice get</c> knows and the columns a user needs for each.</summary>
internal static class ResourceTables
{
    public static readonly ResourceTable Apps = new(
        ResourceKind.Application, ["apps", "app", "applications", "application"],
        ["NAME", "COMPONENTS", "REVISION", "RENDERED", "AGE"], ["IMAGES"],
        (a, now) =>
        [
            Name(a),
            string.Join(",", Components(a["spec"]).Select(c => $"{c["name"]}({c["type"]})")),
            a["status"]?["latestRevision"]?["name"]?.GetValue<string>() ?? "<none>",
            Condition(a, "Rendered")?["status"]?.GetValue<string>() ?? "Unknown",
            Age.Of(a["metadata"]?["creationTimestamp"], now),
        ],
        a => [string.Join(",", Components(a["spec"]).Select(c => c["properties"]?["image"]?.GetValue<string>() ?? "-"))]);

    public static readonly ResourceTable Revisions = new(
        ResourceKind.ApplicationRevision, ["revisions", "revision", "rev", "applicationrevisions", "applicationrevision"],
        ["NAME", "APP", "COMPONENTS", "IMAGES", "AGE"], ["WORKLOADS"],
        (r, now) =>
        [
            Name(r),
            r["metadata"]?["labels"]?["app.oam.dev/name"]?.GetValue<string>() ?? "",
            string.Join(",", Components(r["spec"]?["application"]?["spec"]).Select(c => $"{c["name"]}({c["type"]})")),
            string.Join(",", Rendered(r).SelectMany(w => (w["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["image"]?.GetValue<string>() ?? "-"))),
            Age.Of(r["metadata"]?["creationTimestamp"], now),
        ],
        r => [string.Join(",", Rendered(r).Select(w => $"{w["kind"]}/{w["metadata"]?["name"]}"))]);

    public static readonly ResourceTable Rollouts = new(
        ResourceKind.AppRollout, ["rollouts", "rollout", "approllouts", "approllout"],
        ["NAME", "STATE", "BATCH", "UPGRADED", "READY", "TARGET", "REVISIONS", "AGE"], ["BATCH-STATE", "PARTITION", "PAUSED", "MESSAGE"],
        (o, now) =>
        {
            var facts = new RolloutFacts(SluiceJson.Deserialize<AppRollout>(o));
            return
            [
                facts.Name, facts.StateName, facts.Batch, $"{facts.Upgraded}", $"{facts.Ready}", $"{facts.TargetSize}",
                $"{facts.Source}->{facts.Target}", Age.Of(facts.Rollout.Metadata.CreationTimestamp, now),
            ];
        },
        o =>
        {
            var facts = new RolloutFacts(SluiceJson.Deserialize<AppRollout>(o));
            var message = facts.Failure?.Message ?? facts.Status?.Condition(Core.Engine.ConditionTypes.Progressing)?.Message ?? "";
            return [facts.BatchStateName ?? "-", facts.Plan.BatchPartition?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", facts.Plan.Paused == true ? "true" : "false", message];
        });

    public static readonly ResourceTable Definitions = new(
        ResourceKind.ComponentDefinition, ["definitions", "definition", "def", "componentdefinitions", "componentdefinition"],
        ["NAME", "WORKLOAD", "DESCRIPTION", "AGE"], [],
        (d, now) =>
        [
            Name(d),
            $"{d["spec"]?["workload"]?["definition"]?["kind"]?.GetValue<string>()} ({d["spec"]?["workload"]?["definition"]?["apiVersion"]?.GetValue<string>()})",
            (d["metadata"]?["annotations"]?["definition.oam.dev/description"]?.GetValue<string>() ?? "").Split('.')[0],
            Age.Of(d["metadata"]?["creationTimestamp"], now),
        ],
        _ => []);

    public static readonly ResourceTable AnalysisRuns = new(
        AnalysisKinds.AnalysisRun, ["analysisruns", "analysisrun", "ar", "runs", "run"],
        ["NAME", "PHASE", "METRICS", "AGE"], ["ROLLOUT", "BATCH", "WHY"],
        (r, now) =>
        [
            Name(r),
            r["status"]?["phase"]?.GetValue<string>() ?? "Pending",
            r["status"]?["summary"]?.GetValue<string>() ?? string.Join(", ", (r["spec"]?["metrics"] as JsonArray ?? []).Select(m => m?["name"]?.GetValue<string>())),
            Age.Of(r["metadata"]?["creationTimestamp"], now),
        ],
        r =>
        [
            r["metadata"]?["labels"]?[AnalysisRun.RolloutLabel]?.GetValue<string>() ?? "-",
            r["metadata"]?["labels"]?[AnalysisRun.BatchLabel]?.GetValue<string>() ?? "-",
            r["status"]?["message"]?.GetValue<string>() ?? "",
        ]);

    public static IReadOnlyList<ResourceTable> All { get; } = [Apps, Revisions, Rollouts, Definitions, AnalysisRuns];

    public static ResourceTable? Find(string name) => All.FirstOrDefault(t => t.Names.Contains(name.ToLowerInvariant()));

    private static string Name(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static IEnumerable<JsonObject> Components(JsonNode? spec) => (spec?["components"] as JsonArray ?? []).OfType<JsonObject>();

    private static IEnumerable<JsonObject> Rendered(JsonObject revision) =>
        Components(revision["spec"]).Select(c => c["workload"]).OfType<JsonObject>();

    private static JsonObject? Condition(JsonObject o, string type) =>
        (o["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
}
