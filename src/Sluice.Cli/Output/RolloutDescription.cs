using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;
using Sluice.Core.Api;

namespace Sluice.Cli.Output;

/// <summary><c>sluice describe rollout</c>: spec summary, the batch plan with each batch's state, conditions and recent Events. Pure.</summary>
internal static class RolloutDescription
{
    public const int MaxEvents = 10;

    /// <param name="traffic">The routers' observation and live share, for a rollout that routes traffic (a section of its own).</param>
    /// <param name="analysis">The AnalysisRun of the current batch, for a rollout with canaryMetric checks (a section of its own).</param>
    public static string Render(AppRollout rollout, IEnumerable<JsonObject> events, DateTimeOffset now, TrafficPicture? traffic = null, AnalysisRun? analysis = null)
    {
        var facts = new RolloutFacts(rollout);
        var plan = facts.Plan;
        var text = new StringBuilder();
        void Field(string label, string value) => text.Append($"{label + ":",-14}{value}\n");

        Field("Name", facts.Name);
        Field("Namespace", facts.Namespace);
        Field("Revisions", $"{facts.Source} -> {facts.Target}");
        if (rollout.Spec.Follow?.Application is { } followed)
        {
            Field("Follows", $"application {followed} (each new revision rolls out from the one serving)");
        }

        Field("Components", rollout.Spec.ComponentList is { Count: > 0 } list ? string.Join(", ", list) : "(the one common to both)");
        Field("Strategy", $"{plan.EffectiveStrategy}, onFailure {plan.EffectiveOnFailure}, progress deadline {plan.EffectiveProgressDeadlineSeconds}s");
        Field("Paused", plan.Paused == true ? "true" : "false");
        Field("Partition", plan.BatchPartition is { } p ? $"{p} (batches 1..{p + 1} may roll)" : "none (every batch may roll)");
        if (rollout.Metadata.Annotation(AppRollout.AbortAnnotation) == "true")
        {
            Field("Abort", "requested");
        }

        Field("State", facts.BatchStateName is { } b && facts.State == RollingState.RollingInBatches ? $"{facts.StateName} / {b}" : facts.StateName);
        if (facts.WaitingForPromotion is { } held)
        {
            Field("Waiting", $"for {facts.WaitingLine} (for {Age.Of(held.LastTransitionTime, now)})");
        }

        Field("Batch", facts.Batch);
        Field("Pods", $"{facts.Upgraded} upgraded, {facts.Ready} ready, target {facts.TargetSize} (from {facts.Status?.RolloutOriginalSize ?? 0})");

        text.Append("\nBatches:\n");
        if (facts.BatchPlan is { } batches)
        {
            var rows = batches.Batches.Select(batch => (IReadOnlyList<string>)
            [
                $"{batch.Index + 1}",
                batch.Replicas?.ToString() ?? "(rest)",
                $"{batch.Target}",
                BatchState(facts, batch.Index),
            ]);
            text.Append(Indent(TextTable.Render(["BATCH", "REPLICAS", "PODS AFTER", "STATE"], rows)));
        }
        else
        {
            text.Append("  (computed once the revisions are located)\n");
        }

        if (traffic is not null)
        {
            text.Append('\n').Append(TrafficSection.Render(traffic));
        }

        if (analysis is not null)
        {
            text.Append('\n').Append(AnalysisSection.Render(analysis));
        }

        text.Append("\nConditions:\n");
        var conditions = facts.Status?.Conditions ?? [];
        text.Append(conditions.Count == 0
            ? "  <none>\n"
            : Indent(TextTable.Render(["TYPE", "STATUS", "REASON", "AGE", "MESSAGE"], conditions.Select(c => (IReadOnlyList<string>)
            [
                c.Type, c.Status.ToString(), c.Reason ?? "", Age.Of(c.LastTransitionTime, now), c.Message ?? "",
            ]))));

        text.Append("\nEvents:\n");
        var recent = events
            .OrderBy(e => e["lastTimestamp"]?.GetValue<string>() ?? e["eventTime"]?.GetValue<string>(), StringComparer.Ordinal)
            .ThenBy(e => e["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
            .TakeLast(MaxEvents)
            .ToList();
        text.Append(recent.Count == 0
            ? "  <none>\n"
            : Indent(TextTable.Render(["TYPE", "REASON", "AGE", "MESSAGE"], recent.Select(e => (IReadOnlyList<string>)
            [
                e["type"]?.GetValue<string>() ?? "", e["reason"]?.GetValue<string>() ?? "", Age.Of(e["lastTimestamp"], now), e["message"]?.GetValue<string>() ?? "",
            ]))));
        return text.ToString();
    }

    private static string BatchState(RolloutFacts facts, int index)
    {
        var current = facts.Status?.CurrentBatch ?? 0;
        switch (facts.State)
        {
            case RollingState.RolloutSucceed or RollingState.Finalising or RollingState.Promoting or RollingState.ScalingDownSource:
                return "done";
            case RollingState.RollingInBatches:
                if (index < current)
                {
                    return "done";
                }

                if (index == current)
                {
                    return facts.BatchStateName ?? "";
                }

                return facts.Plan.BatchPartition is { } p && index > p
                    ? $"held (batchPartition {p.ToString(CultureInfo.InvariantCulture)})"
                    : "pending";
            case RollingState.RolloutFailing or RollingState.RolloutFailed when facts.Status?.BatchRollingState is not null:
                return index < current ? "done" : index == current ? "failed" : "-";
            default:
                return "pending";
        }
    }

    private static string Indent(string table) =>
        string.Concat(table.Split('\n').Where(l => l.Length > 0).Select(l => $"  {l}\n"));
}
