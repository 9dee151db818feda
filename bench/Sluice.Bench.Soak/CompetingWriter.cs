using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Bench.Common;
using Sluice.ControlPlane.Store;
using Sluice.Controllers.Kube;

namespace Sluice.Bench.Soak;

/// <summary>
/// Another client writing the controller's objects, as another controller would from its cache: for a while it touches
/// an annotation of random AppRollouts and of their workloads through the API, replacing the version it listed at the
/// start of the burst (or its own last write) with its resourceVersion as a precondition, so that the controller's
/// writes carrying the resourceVersion it read are answered 409, and its own are when the controller or the simulator
/// wrote since (then it reads the object again). It counts its acknowledged writes and its 409s, and keeps the version
/// each acknowledged write made (an acknowledged write must survive a restart of the API server).
/// </summary>
internal sealed class CompetingWriter(Func<IKubeApi> api)
{
    public const string Annotation = "soak.sluice.dev/touched";
    private readonly Dictionary<ObjectRef, WatchEvent> acknowledged = [];

    /// <summary>Writes answered 2xx so far.</summary>
    public int Writes { get; private set; }

    /// <summary>Writes answered 409 Conflict so far.</summary>
    public int Conflicts { get; private set; }

    /// <summary>For every object written, the version the last acknowledged write made.</summary>
    public IReadOnlyDictionary<ObjectRef, WatchEvent> Acknowledged => acknowledged;

    /// <summary>Writes for <paramref name="duration"/>; returns how many writes were acknowledged.</summary>
    public async Task<int> BurstAsync(IReadOnlyList<Scenario> scenarios, Random random, TimeSpan duration)
    {
        var before = Writes;
        var cache = new List<(ResourceKind Kind, string Name, JsonObject Object)>();
        foreach (var kind in (ResourceKind[])[ResourceKind.AppRollout, .. SoakSystem.WorkloadKinds])
        {
            var list = await api().ListAsync(kind, "default", null, CancellationToken.None);
            cache.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(o => (kind, o["metadata"]!["name"]!.GetValue<string>(), o)));
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var s = scenarios[random.Next(scenarios.Count)];
            for (var i = 0; i < cache.Count; i++)
            {
                var (kind, name, obj) = cache[i];
                if (kind == ResourceKind.AppRollout ? name == s.Name : name == s.Name || name.StartsWith(s.Name + "-", StringComparison.Ordinal))
                {
                    cache[i] = (kind, name, await TouchAsync(kind, obj) ?? obj);
                }
            }
        }
        return Writes - before;
    }

    /// <summary>Replaces <paramref name="obj"/> with the annotation changed; returns the newest version known after, null when gone.</summary>
    private async Task<JsonObject?> TouchAsync(ResourceKind kind, JsonObject obj)
    {
        var touched = obj.DeepClone().AsObject();
        var meta = touched["metadata"]!.AsObject();
        var annotations = meta["annotations"] as JsonObject ?? [];
        annotations[Annotation] = Guid.NewGuid().ToString("N")[..8];
        meta["annotations"] = annotations;
        try
        {
            var written = await api().ReplaceAsync(kind, "default", touched, CancellationToken.None);
            var version = long.Parse(written["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var resource = new ControlPlane.Resources.GroupResource(kind.Group, kind.Plural);
            acknowledged[ObjectRef.Of(resource, written)] = new WatchEvent("MODIFIED", resource, version, written);
            Writes++;
            return written;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            Conflicts++;
            return await api().GetAsync(kind, "default", meta["name"]!.GetValue<string>(), CancellationToken.None);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
