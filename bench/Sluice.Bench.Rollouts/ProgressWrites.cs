using System.Text.Json.Nodes;
using Sluice.Bench.Common;

namespace Sluice.Bench.Rollouts;

/// <summary>
/// Status writes of AppRollouts that changed nothing but the pod counts (<c>upgradedReplicas</c>,
/// <c>upgradedReadyReplicas</c>): the controller's progress updates while a batch waits (at most one every 5 s),
/// as opposed to the writes the plan itself needs. Counted from the committed history.
/// </summary>
internal static class ProgressWrites
{
    private static readonly string[] Counts = ["upgradedReplicas", "upgradedReadyReplicas"];

    public static int Count(IEnumerable<Recorded> rolloutHistory)
    {
        var last = new Dictionary<string, JsonObject>();
        var count = 0;
        foreach (var (_, change) in rolloutHistory)
        {
            var name = change.Object["metadata"]!["name"]!.GetValue<string>();
            if (last.TryGetValue(name, out var before) && OnlyCountsChanged(before, change.Object))
            {
                count++;
            }

            last[name] = change.Object;
        }

        return count;
    }

    private static bool OnlyCountsChanged(JsonObject before, JsonObject after)
    {
        if (!JsonNode.DeepEquals(before["spec"], after["spec"]) || !JsonNode.DeepEquals(before["metadata"]?["finalizers"], after["metadata"]?["finalizers"]))
        {
            return false;
        }

        var was = Without(before["status"]);
        var now = Without(after["status"]);
        return JsonNode.DeepEquals(was, now) && !JsonNode.DeepEquals(before["status"], after["status"]);
    }

    private static JsonObject Without(JsonNode? status)
    {
        var copy = status?.DeepClone() as JsonObject ?? [];
        foreach (var field in Counts)
        {
            copy.Remove(field);
        }

        return copy;
    }
}
