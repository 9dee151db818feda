using System.Diagnostics;
using System.Globalization;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.Bench.Common;

/// <summary>
/// Every committed change of some resources, in commit order (resourceVersion), each stamped with the
/// <see cref="Stopwatch"/> time it arrived on an in-process watch: the commit time as closely as the bench can see it.
/// </summary>
public sealed class StoreRecorder : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<Recorded> events = [];
    private readonly List<WatchSubscription> watches = [];
    private readonly List<Task> loops = [];

    /// <summary>Records changes after now.</summary>
    public StoreRecorder(IResourceStore store, params GroupResource[] resources)
        : this(store, withCurrent: false, resources)
    {
    }

    /// <summary>Records changes after now; <paramref name="withCurrent"/> first records every current object as ADDED.</summary>
    public StoreRecorder(IResourceStore store, bool withCurrent, params GroupResource[] resources)
    {
        var from = withCurrent ? null : store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        foreach (var resource in resources)
        {
            var watch = store.Watch(resource, null, from);
            watches.Add(watch);
            loops.Add(Task.Run(async () =>
            {
                await foreach (var change in watch.Events.ReadAllAsync())
                {
                    var at = Stopwatch.GetTimestamp();
                    if (change.Type is "ADDED" or "MODIFIED" or "DELETED")
                    {
                        lock (gate)
                        {
                            events.Add(new Recorded(at, change));
                        }
                        Arrived?.Invoke(change);
                    }
                }
            }));
        }
    }

    /// <summary>Raised on the watch's reader for each change (keep it short).</summary>
    public event Action<WatchEvent>? Arrived;

    /// <summary>True while every watch is open (the store closes watchers that fall behind).</summary>
    public bool Healthy => loops.All(l => !l.IsCompleted);

    /// <summary>Stops recording and waits until every change already delivered is recorded.</summary>
    public async Task DrainAsync()
    {
        foreach (var watch in watches)
        {
            watch.Dispose();
        }
        await Task.WhenAll(loops);
    }

    /// <summary>The changes so far, in commit order.</summary>
    public IReadOnlyList<Recorded> Events()
    {
        lock (gate)
        {
            return [.. events.OrderBy(e => e.Change.ResourceVersion)];
        }
    }

    public void Dispose()
    {
        foreach (var watch in watches)
        {
            watch.Dispose();
        }
    }
}
