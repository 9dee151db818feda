using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Bench.Common;

namespace Sluice.Bench.Rollouts;

/// <summary>
/// Reaction latency from a CloneSet's committed history: from the commit of the status that makes the current
/// batch available (<c>observedGeneration == generation</c> and <c>updatedReadyReplicas &gt;= replicas - partition</c>,
/// the CloneSet adapter's own test) to the commit of the next write of the CloneSet by the controller (a change of its
/// spec, labels or annotations: the simulator writes only status).
/// </summary>
internal static class Reactions
{
    public static List<double> Milliseconds(IEnumerable<Recorded> cloneSetHistory)
    {
        var samples = new List<double>();
        var byName = new Dictionary<string, (string Shape, bool Available, long? AvailableAt)>();
        foreach (var (at, change) in cloneSetHistory)
        {
            if (change.Type == "DELETED")
            {
                continue;
            }
            var obj = change.Object;
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            var shape = Shape(obj);
            var available = Available(obj);
            if (!byName.TryGetValue(name, out var last))
            {
                byName[name] = (shape, available, null);
                continue;
            }
            if (shape != last.Shape)
            {
                if (last.AvailableAt is { } since)
                {
                    samples.Add(Stopwatch.GetElapsedTime(since, at).TotalMilliseconds);
                }
                byName[name] = (shape, available, null);
                continue;
            }
            byName[name] = available && !last.Available && last.AvailableAt is null
                ? (shape, true, at)
                : (shape, available, last.AvailableAt);
        }
        return samples;
    }

    private static string Shape(JsonObject obj) =>
        (obj["spec"]?.ToJsonString() ?? "") + (obj["metadata"]?["labels"]?.ToJsonString() ?? "") + (obj["metadata"]?["annotations"]?.ToJsonString() ?? "");

    private static bool Available(JsonObject obj)
    {
        int Int(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? node.GetValue<int>() : 0;
        var generation = Int(obj["metadata"]?["generation"]);
        var observed = Int(obj["status"]?["observedGeneration"]);
        var replicas = Int(obj["spec"]?["replicas"]);
        var partitionNode = obj["spec"]?["updateStrategy"]?["partition"];
        var partition = partitionNode is null ? 0 : Int(partitionNode);
        var updatedReady = Int(obj["status"]?["updatedReadyReplicas"]);
        return replicas > 0 && observed == generation && updatedReady >= replicas - partition;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
