using System.Collections.Concurrent;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// How many resource requests the API server has served, by verb (get, list, watch, create, update, patch,
/// delete, deletecollection), resource and subresource: what benchmarks read to count a client's API calls.
/// Requests that fail before they name a resource (discovery, health, bad paths) are not counted.
/// </summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<RequestKey, long> _counts = new();
    private long _conflicts;

    /// <summary>How many requests were answered 409 Conflict (a stale resourceVersion, or AlreadyExists).</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    internal void AddConflict() => Interlocked.Increment(ref _conflicts);

    internal void Add(string verb, string resource, string? subresource) =>
        _counts.AddOrUpdate(new RequestKey(verb, resource, subresource ?? ""), 1, (_, n) => n + 1);

    /// <summary>A copy of the counts so far; subtract two snapshots to count what happened in between.</summary>
    public IReadOnlyDictionary<RequestKey, long> Snapshot() => new Dictionary<RequestKey, long>(_counts);
}
