using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// A StatefulSet's partition and the pods on a revision. The controller updates only ordinals at or above the
/// partition and leaves those below it where they are, so the pods a partition puts on the target are those
/// above it plus those below it that already run the target. After a rollout reverted or redirected mid-way the
/// pods on the target are not the highest ordinals, so the partition is worked out from the pods.
/// </summary>
/// <example>
/// 5 pods, ordinals 0-3 on the target and 4 on another revision: partition 5 puts 4 on the target (0-3 stay), 4 puts
/// 5. All 5 on another revision: partition 5 puts 0, 4 puts 1, 2 puts 3.
/// </example>
internal static class StatefulSetPartition
{
    /// <summary>Pods the spec puts on the target: ordinals at or above <paramref name="partition"/>, and those below it already on <paramref name="hash"/>.</summary>
    public static int Requested(IEnumerable<JsonObject> pods, string hash, int replicas, int partition)
    {
        var p = Math.Clamp(partition, 0, replicas);
        return OnTargetBelow(pods, hash, p) + (replicas - p);
    }

    /// <summary>The highest partition that puts at least <paramref name="wanted"/> pods on the target (moving as few as it can).</summary>
    public static int For(IReadOnlyList<JsonObject> pods, string hash, int replicas, int wanted)
    {
        for (var p = replicas; p > 0; p--)
        {
            if (Requested(pods, hash, replicas, p) >= wanted)
            {
                return p;
            }
        }

        return 0;
    }

    /// <summary>The pod's ordinal (the <c>apps.kubernetes.io/pod-index</c> label, else its name's suffix), or null.</summary>
    public static int? Ordinal(JsonObject pod)
    {
        var text = JsonPath.Get(pod, "metadata.labels") is JsonObject labels && labels["apps.kubernetes.io/pod-index"] is JsonValue index
            ? index.GetValue<string>()
            : JsonPath.String(pod, "metadata.name") is { } name && name.LastIndexOf('-') is var dash and >= 0 ? name[(dash + 1)..] : null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : null;
    }

    private static int OnTargetBelow(IEnumerable<JsonObject> pods, string hash, int partition) =>
        pods.Count(p => JsonPath.Get(p, "metadata.deletionTimestamp") is null && Pods.TemplateHash(p) == hash && Ordinal(p) is { } ordinal && ordinal < partition);
}
