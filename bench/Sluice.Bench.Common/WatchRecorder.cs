using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Controllers.Kube;

namespace Sluice.Bench.Common;

/// <summary>
/// Every change of some kinds of objects as a client of the API server sees them, each stamped with the
/// <see cref="Stopwatch"/> time it arrived: for each kind a list, then a watch from the list's resourceVersion, resumed
/// from the last resourceVersion seen when it ends or breaks (the API server may be down: it is retried until it serves
/// again). A resumed watch answered 410 Gone (an API server restarted since keeps no watch history from before its
/// start) lists again and carries on; the changes in between are not seen. A list is recorded as one change at its
/// resourceVersion: every object that differs from what was recorded (ADDED or MODIFIED) and every object gone
/// (DELETED), so that a reader applying a resourceVersion's changes together sees only states the kind was in. The
/// server sends only durable changes, so what is recorded was committed.
/// </summary>
public sealed class WatchRecorder : IAsyncDisposable
{
    private readonly Func<IKubeApi> api;
    private readonly string? ns;
    private readonly Lock gate = new();
    private readonly List<Recorded> events = [];
    private readonly Dictionary<ObjectRef, WatchEvent> last = [];
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly long[] brokenAt;
    private int relists;

    private WatchRecorder(Func<IKubeApi> api, string? ns, int kinds)
    {
        this.api = api;
        this.ns = ns;
        brokenAt = new long[kinds];
    }

    /// <summary>How many times a watch was answered 410 Gone and its kind listed again (changes may be missing there).</summary>
    public int Relists => Volatile.Read(ref relists);

    /// <summary>
    /// Records <paramref name="kinds"/> in <paramref name="ns"/> (all namespaces when null) through <paramref name="api"/>
    /// (asked again at every request: a caller may swap clients); returns once every kind's first list is recorded.
    /// </summary>
    public static async Task<WatchRecorder> StartAsync(Func<IKubeApi> api, string? ns, params ResourceKind[] kinds)
    {
        var recorder = new WatchRecorder(api, ns, kinds.Length);
        var versions = new string[kinds.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            versions[i] = await recorder.ListAsync(kinds[i], CancellationToken.None);
        }
        for (var i = 0; i < kinds.Length; i++)
        {
            var (kind, index, version) = (kinds[i], i, versions[i]);
            recorder.loops.Add(Task.Run(() => recorder.WatchAsync(kind, index, version)));
        }
        return recorder;
    }

    /// <summary>The changes so far, in commit order (resourceVersion; a list's changes share its resourceVersion).</summary>
    public IReadOnlyList<Recorded> Events()
    {
        lock (gate)
        {
            return [.. events.OrderBy(e => e.Change.ResourceVersion)];
        }
    }

    /// <summary>For every object recorded, its last recorded change at the object's own resourceVersion (DELETED when it is gone).</summary>
    public IReadOnlyDictionary<ObjectRef, WatchEvent> Latest()
    {
        lock (gate)
        {
            return new Dictionary<ObjectRef, WatchEvent>(last);
        }
    }

    /// <summary>
    /// Waits until every watch has ended or failed after the <see cref="Stopwatch"/> time <paramref name="since"/>
    /// (the API server was killed then): whatever it had delivered before is recorded. False on timeout.
    /// </summary>
    public async Task<bool> SettleAsync(long since, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Enumerable.Range(0, brokenAt.Length).All(i => Volatile.Read(ref brokenAt[i]) > since))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        stop.Dispose();
    }

    private async Task WatchAsync(ResourceKind kind, int index, string version)
    {
        var resource = new GroupResource(kind.Group, kind.Plural);
        var failures = 0;
        var relist = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (relist)
                {
                    version = await ListAsync(kind, stop.Token);
                    relist = false;
                }
                await foreach (var change in api().WatchAsync(kind, ns, version, stop.Token))
                {
                    var at = Stopwatch.GetTimestamp();
                    if (change.ResourceVersion is { Length: > 0 } seen)
                    {
                        version = seen;
                    }
                    if (change.Type is "ADDED" or "MODIFIED" or "DELETED")
                    {
                        lock (gate)
                        {
                            Add(at, new WatchEvent(change.Type, resource, Version(version), change.Object));
                        }
                    }
                    failures = 0;
                }
                Volatile.Write(ref brokenAt[index], Stopwatch.GetTimestamp());
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                Volatile.Write(ref brokenAt[index], Stopwatch.GetTimestamp());
                Interlocked.Increment(ref relists);
                relist = true;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or JsonException)
            {
                Volatile.Write(ref brokenAt[index], Stopwatch.GetTimestamp());
                failures++;
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 << Math.Min(failures, 6))), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists <paramref name="kind"/> and records how it differs from what was recorded, at the list's resourceVersion; returns that.</summary>
    private async Task<string> ListAsync(ResourceKind kind, CancellationToken cancellationToken)
    {
        var list = await api().ListAsync(kind, ns, null, cancellationToken);
        var at = Stopwatch.GetTimestamp();
        var resource = new GroupResource(kind.Group, kind.Plural);
        var version = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(item => (Item: item, Version: Version(item["metadata"]!["resourceVersion"]!.GetValue<string>())))
            .OrderBy(i => i.Version)
            .ToList();
        var present = new HashSet<ObjectRef>();
        lock (gate)
        {
            foreach (var (item, itemVersion) in items)
            {
                var key = ObjectRef.Of(resource, item);
                present.Add(key);
                var known = last.GetValueOrDefault(key);
                if (known is null || known.Type == "DELETED" || known.ResourceVersion < itemVersion)
                {
                    Add(at, new WatchEvent(known is null || known.Type == "DELETED" ? "ADDED" : "MODIFIED", resource, itemVersion, item), listed: Version(version));
                }
            }
            foreach (var (key, known) in last.Where(e => e.Key.Resource == resource && e.Value.Type != "DELETED" && !present.Contains(e.Key)).ToList())
            {
                var gone = known.Object.DeepClone().AsObject();
                gone["metadata"]!["resourceVersion"] = version;
                Add(at, new WatchEvent("DELETED", resource, Version(version), gone), listed: Version(version));
            }
        }
        return version;
    }

    /// <summary>Under the lock. A change found by a list is recorded at the list's resourceVersion, <paramref name="listed"/>.</summary>
    private void Add(long at, WatchEvent change, long? listed = null)
    {
        events.Add(new Recorded(at, listed is { } version ? change with { ResourceVersion = version } : change));
        last[ObjectRef.Of(change.Resource, change.Object)] = change;
    }

    private static long Version(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
