using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Resources;

/// <summary>
/// The resources served right now: the built-ins plus every version of every established CRD.
/// Readers see an immutable snapshot; CRD writes swap it.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private ImmutableDictionary<string, ImmutableList<ResourceType>> _custom =
        ImmutableDictionary<string, ImmutableList<ResourceType>>.Empty;
    private ImmutableList<ResourceType> _all = [.. BuiltInResources.All];

    /// <summary>All served resource types (one entry per served version).</summary>
    public IReadOnlyList<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string plural) =>
        _all.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    /// <summary>The preferred (first served) type of a resource, whatever the version.</summary>
    public ResourceType? Find(GroupResource resource) =>
        _all.FirstOrDefault(t => t.Group == resource.Group && t.Plural == resource.Resource);

    /// <summary>Finds a type by the apiVersion and kind written in an object.</summary>
    public ResourceType? FindKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return _all.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);
    }

    internal void ApplyCrd(string crdName, JsonObject crd)
    {
        lock (_gate)
        {
            _custom = _custom.SetItem(crdName, [.. CrdReader.Read(crd)]);
            Rebuild();
        }
    }

    internal void RemoveCrd(string crdName)
    {
        lock (_gate)
        {
            _custom = _custom.Remove(crdName);
            Rebuild();
        }
    }

    private void Rebuild() =>
        _all = [.. BuiltInResources.All, .. _custom.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value)];
}
