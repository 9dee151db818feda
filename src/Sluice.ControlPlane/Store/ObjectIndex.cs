using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// One view of the store's objects, by resource then (namespace, name). The store keeps two: the
/// committed view (durable objects, what readers see) and the latest view (committed plus the writes
/// still waiting for their fsync, what writers decide against). Stored objects are never changed
/// after they are put here, so both views share them. Not thread-safe: the store's lock guards it.
/// </summary>
internal sealed class ObjectIndex
{
    private readonly Dictionary<GroupResource, SortedDictionary<(string Ns, string Name), JsonObject>> _objects = [];

    /// <summary>Keys in ordinal order of namespace, then name (the order lists and continue tokens use).</summary>
    public static IComparer<(string Ns, string Name)> KeyOrder { get; } = Comparer<(string Ns, string Name)>.Create((a, b) =>
    {
        var byNs = string.CompareOrdinal(a.Ns, b.Ns);
        return byNs != 0 ? byNs : string.CompareOrdinal(a.Name, b.Name);
    });

    /// <summary>The objects of a resource, sorted by (namespace, name).</summary>
    public SortedDictionary<(string Ns, string Name), JsonObject> Of(GroupResource resource)
    {
        if (!_objects.TryGetValue(resource, out var objects))
        {
            objects = new SortedDictionary<(string Ns, string Name), JsonObject>(KeyOrder);
            _objects[resource] = objects;
        }
        return objects;
    }

    /// <summary>An object by namespace and name; a cluster-scoped object is also found under any namespace.</summary>
    public JsonObject? Find(GroupResource resource, string? ns, string name) =>
        Of(resource).TryGetValue((ns ?? "", name), out var obj) ? obj
        : string.IsNullOrEmpty(ns) ? null
        : Of(resource).TryGetValue(("", name), out var clusterScoped) ? clusterScoped : null;

    /// <summary>Puts an object, or removes the key when <paramref name="obj"/> is null.</summary>
    public void Set(GroupResource resource, string ns, string name, JsonObject? obj)
    {
        if (obj is null)
        {
            Of(resource).Remove((ns, name));
        }
        else
        {
            Of(resource)[(ns, name)] = obj;
        }
    }

    public IEnumerable<(GroupResource Resource, JsonObject Object)> All() =>
        _objects.SelectMany(r => r.Value.Values.Select(o => (r.Key, o)));

    /// <summary>A copy of the index that shares the (immutable) objects.</summary>
    public ObjectIndex Clone()
    {
        var copy = new ObjectIndex();
        foreach (var (resource, objects) in _objects)
        {
            copy._objects[resource] = new SortedDictionary<(string Ns, string Name), JsonObject>(objects, KeyOrder);
        }
        return copy;
    }
}
