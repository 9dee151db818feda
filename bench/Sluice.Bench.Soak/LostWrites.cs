using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Bench.Common;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Controllers.Kube;

namespace Sluice.Bench.Soak;

/// <summary>
/// Acknowledged writes an API server no longer has after a restart. What it acknowledged is known from outside: the
/// versions its watches delivered (it sends only durable changes) and the writes it answered 2xx. After the restart,
/// every object is listed through its API: at an older resourceVersion (compared as integers) than acknowledged, it is
/// a lost write (a version only grows; an object deleted and created again has a newer one). Missing, it is one only if
/// nothing deletes objects of its kind: a pod or a workload may have been deleted by a change committed before the kill
/// but not yet delivered, or by the simulator or the controller since the restart, and no list can tell the difference.
/// </summary>
internal static class LostWrites
{
    /// <summary>For every object, the newest of the versions <paramref name="sources"/> know (by resourceVersion).</summary>
    public static Dictionary<ObjectRef, WatchEvent> Expected(params IReadOnlyDictionary<ObjectRef, WatchEvent>[] sources)
    {
        var expected = new Dictionary<ObjectRef, WatchEvent>();
        foreach (var (key, change) in sources.SelectMany(s => s))
        {
            if (!expected.TryGetValue(key, out var known) || known.ResourceVersion < change.ResourceVersion)
            {
                expected[key] = change;
            }
        }
        return expected;
    }

    /// <summary>
    /// Lists <paramref name="kinds"/> and describes every object of <paramref name="expected"/> at an older version, or
    /// missing when its kind is one of <paramref name="neverDeleted"/>; counts the other missing ones apart.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Lost, int Gone)> FindAsync(
        IKubeApi api, IReadOnlyDictionary<ObjectRef, WatchEvent> expected, IEnumerable<ResourceKind> kinds, IEnumerable<ResourceKind> neverDeleted)
    {
        var kept = neverDeleted.Select(k => new GroupResource(k.Group, k.Plural)).ToHashSet();
        var now = new Dictionary<ObjectRef, long>();
        var listedAt = new Dictionary<GroupResource, long>();
        foreach (var kind in kinds)
        {
            var resource = new GroupResource(kind.Group, kind.Plural);
            var list = await api.ListAsync(kind, null, null, CancellationToken.None);
            listedAt[resource] = Version(list["metadata"]!["resourceVersion"]!);
            foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                now[ObjectRef.Of(resource, item)] = Version(item["metadata"]!["resourceVersion"]!);
            }
        }
        var lost = new List<string>();
        var gone = 0;
        foreach (var (key, change) in expected.OrderBy(e => e.Value.ResourceVersion))
        {
            if (change.Type == "DELETED" || !listedAt.TryGetValue(key.Resource, out var listed))
            {
                continue;
            }
            if (!now.TryGetValue(key, out var version))
            {
                if (kept.Contains(key.Resource))
                {
                    lost.Add($"{key}: missing from the list at resourceVersion {listed}; acknowledged at {change.ResourceVersion}");
                }
                else
                {
                    gone++;
                }
            }
            else if (version < change.ResourceVersion)
            {
                lost.Add($"{key}: at resourceVersion {version}; acknowledged at {change.ResourceVersion}");
            }
        }
        return (lost, gone);
    }

    private static long Version(JsonNode node) => long.Parse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture);
}
