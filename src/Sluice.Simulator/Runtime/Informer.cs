using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.Simulator.Runtime;

/// <summary>
/// A watch cache of one resource type, all namespaces: list once, then one watch from the list's
/// resourceVersion (relisting when the watch ends or 410 Gone), indexed by name and by controller uid.
/// Writers put what the store returned into the cache at once (read-your-writes); an entry only ever moves to
/// a newer resourceVersion, and objects this process deleted are not brought back by stale events.
/// Cached objects are shared: treat them as read-only.
/// </summary>
internal sealed class Informer(IResourceStore store, GroupResource resource, TimeProvider time, Action<string, JsonObject> changed)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Ns, string Name), JsonObject> _items = [];
    private readonly Dictionary<string, HashSet<(string Ns, string Name)>> _byOwner = [];
    private readonly Dictionary<string, HashSet<(string Ns, string Name)>> _byNamespace = [];
    private readonly HashSet<string> _tombstones = [];
    private long _seen = -1;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GroupResource Resource => resource;

    /// <summary>Completes after the first list (or when the resource is not served at all).</summary>
    public Task Synced => _synced.Task;

    public async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                var list = store.List(resource, null);
                Replace(list.Items, list.ResourceVersion);
                _synced.TrySetResult();
                using var watch = store.Watch(resource, null, list.ResourceVersion.ToString(CultureInfo.InvariantCulture));
                await foreach (var change in watch.Events.ReadAllAsync(cancel).ConfigureAwait(false))
                {
                    Apply(change);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException e) when (e.Status.Code == 404)
            {
                // Not served (yet): a CRD may arrive later.
                _synced.TrySetResult();
                await Pause(TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store is closing, or something unexpected: list again shortly rather than stop watching.
                await Pause(TimeSpan.FromMilliseconds(200), cancel).ConfigureAwait(false);
            }
        }
    }

    public JsonObject? Get(string ns, string name)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault((ns, name));
        }
    }

    public List<JsonObject> Owned(string ownerUid)
    {
        lock (_gate)
        {
            return _byOwner.TryGetValue(ownerUid, out var keys) ? keys.Select(k => _items[k]).ToList() : [];
        }
    }

    /// <summary>The cached objects of one namespace.</summary>
    public List<JsonObject> InNamespace(string ns)
    {
        lock (_gate)
        {
            return _byNamespace.TryGetValue(ns, out var keys) ? keys.Select(k => _items[k]).ToList() : [];
        }
    }

    public List<JsonObject> All()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    /// <summary>Takes an object the store returned; ignored when the cache already holds this or a newer version.</summary>
    public void Upsert(JsonObject obj)
    {
        lock (_gate)
        {
            Put(obj);
        }
    }

    /// <summary>Forgets an object this process deleted.</summary>
    public void Forget(JsonObject obj)
    {
        lock (_gate)
        {
            _tombstones.Add(Json.Uid(obj));
            Drop((Json.Namespace(obj), Json.Name(obj)), Json.Uid(obj));
        }
    }

    private void Apply(WatchEvent change)
    {
        var obj = change.Object;
        bool fresh;
        lock (_gate)
        {
            _seen = Math.Max(_seen, change.ResourceVersion);
            switch (change.Type)
            {
                case "ADDED" or "MODIFIED":
                    fresh = Put(obj);
                    break;
                case "DELETED":
                    _tombstones.Remove(Json.Uid(obj));
                    Drop((Json.Namespace(obj), Json.Name(obj)), Json.Uid(obj));
                    fresh = true;
                    break;
                default:
                    return;
            }
        }
        if (fresh)
        {
            changed(change.Type, obj);
        }
    }

    private void Replace(IReadOnlyList<JsonObject> items, long listVersion)
    {
        List<JsonObject> gone;
        var fresh = new List<JsonObject>();
        lock (_gate)
        {
            var listed = items.ToDictionary(o => (Json.Namespace(o), Json.Name(o)));
            gone = _items.Where(kv => !listed.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList();
            foreach (var obj in gone)
            {
                Drop((Json.Namespace(obj), Json.Name(obj)), Json.Uid(obj));
            }
            var uids = items.Select(Json.Uid).ToHashSet();
            _tombstones.IntersectWith(uids);
            foreach (var obj in items)
            {
                // After a lost watch only what changed since the last event seen needs another look
                // (our own writes included: their events, which owners react to, may be among the lost).
                if (Put(obj) && Version(obj) > _seen)
                {
                    fresh.Add(obj);
                }
            }
        }
        lock (_gate)
        {
            _seen = Math.Max(_seen, listVersion);
        }
        foreach (var obj in gone)
        {
            changed("DELETED", obj);
        }
        foreach (var obj in fresh)
        {
            changed("ADDED", obj);
        }
    }

    /// <summary>Caches the object unless older than the cached one; true unless it was stale.</summary>
    private bool Put(JsonObject obj)
    {
        var uid = Json.Uid(obj);
        if (_tombstones.Contains(uid))
        {
            return false;
        }
        var key = (Json.Namespace(obj), Json.Name(obj));
        if (_items.TryGetValue(key, out var old))
        {
            if (Json.Uid(old) == uid && Version(old) >= Version(obj))
            {
                // Our own write seen again through the watch still tells the owners something changed.
                return Version(old) == Version(obj);
            }
            Unindex(key, old);
        }
        _items[key] = obj;
        if (!_byNamespace.TryGetValue(key.Item1, out var inNamespace))
        {
            _byNamespace[key.Item1] = inNamespace = [];
        }
        inNamespace.Add(key);
        var owner = Json.ControllerUid(obj);
        if (owner.Length > 0)
        {
            if (!_byOwner.TryGetValue(owner, out var keys))
            {
                _byOwner[owner] = keys = [];
            }
            keys.Add(key);
        }
        return true;
    }

    private bool Drop((string, string) key, string uid)
    {
        if (!_items.TryGetValue(key, out var old) || Json.Uid(old) != uid)
        {
            return false;
        }
        _items.Remove(key);
        Unindex(key, old);
        return true;
    }

    private void Unindex((string, string) key, JsonObject old)
    {
        if (_byNamespace.TryGetValue(key.Item1, out var inNamespace))
        {
            inNamespace.Remove(key);
            if (inNamespace.Count == 0)
            {
                _byNamespace.Remove(key.Item1);
            }
        }
        var owner = Json.ControllerUid(old);
        if (owner.Length > 0 && _byOwner.TryGetValue(owner, out var keys))
        {
            keys.Remove(key);
            if (keys.Count == 0)
            {
                _byOwner.Remove(owner);
            }
        }
    }

    private static long Version(JsonObject obj) =>
        long.TryParse(Json.ResourceVersion(obj), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    private async Task Pause(TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(delay, time, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
