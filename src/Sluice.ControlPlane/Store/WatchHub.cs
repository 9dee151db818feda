using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// The bounded watch history and the live watchers. All calls happen under the store's write
/// lock, so events reach every watcher in resourceVersion order and a resumed watch has no gap.
/// </summary>
internal sealed class WatchHub(int historyLimit, int watcherCapacity)
{
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _subscribers = [];
    private readonly object _subscribersGate = new();

    /// <summary>The oldest resourceVersion a watch may resume from.</summary>
    public long Floor { get; private set; }

    public void Reset(long floor) => Floor = floor;

    /// <summary>Starts from a persisted history (oldest first, no gap) reaching back to just after <paramref name="floor"/>.</summary>
    public void Preload(IReadOnlyList<WatchEvent> events, long floor)
    {
        _history.Clear();
        foreach (var e in events.TakeLast(historyLimit))
        {
            _history.Enqueue(e);
        }
        Floor = _history.Count == events.Count ? floor : _history.Peek().ResourceVersion - 1;
    }

    /// <summary>The changes after <paramref name="rv"/> that the history still holds, oldest first (complete when rv >= <see cref="Floor"/>).</summary>
    public IEnumerable<WatchEvent> After(long rv) => _history.Where(e => e.ResourceVersion > rv);

    public void Publish(WatchEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > historyLimit)
        {
            Floor = _history.Dequeue().ResourceVersion;
        }
        WatchSubscription[] targets;
        lock (_subscribersGate)
        {
            targets = [.. _subscribers];
        }
        foreach (var subscriber in targets)
        {
            subscriber.Offer(change);
        }
    }

    public void Broadcast(WatchEvent bookmark)
    {
        WatchSubscription[] targets;
        lock (_subscribersGate)
        {
            targets = [.. _subscribers];
        }
        foreach (var subscriber in targets)
        {
            subscriber.Offer(bookmark);
        }
    }

    /// <summary>Subscribes, first replaying <paramref name="initial"/> then history after <paramref name="fromRv"/> (when given).</summary>
    public WatchSubscription Subscribe(long? fromRv, long currentRv, IReadOnlyCollection<WatchEvent> initial, Func<WatchEvent, WatchEvent?> filter)
    {
        if (fromRv is { } from && from < Floor)
        {
            throw Errors.Gone($"too old resource version: {from} ({Floor})");
        }
        var subscription = new WatchSubscription(filter, watcherCapacity + initial.Count + _history.Count, Unsubscribe);
        foreach (var e in initial)
        {
            subscription.Offer(e);
        }
        if (fromRv is { } start && start < currentRv)
        {
            foreach (var e in _history.Where(e => e.ResourceVersion > start))
            {
                subscription.Offer(e);
            }
        }
        lock (_subscribersGate)
        {
            _subscribers.Add(subscription);
        }
        return subscription;
    }

    public void CloseAll()
    {
        WatchSubscription[] targets;
        lock (_subscribersGate)
        {
            targets = [.. _subscribers];
            _subscribers.Clear();
        }
        foreach (var s in targets)
        {
            s.Close();
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_subscribersGate)
        {
            _subscribers.Remove(subscription);
        }
    }
}
