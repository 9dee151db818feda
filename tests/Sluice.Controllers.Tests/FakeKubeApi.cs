using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Sluice.Controllers.Kube;
using Sluice.Manifests;

namespace Sluice.Controllers.Tests;

/// <summary>
/// An in-memory API with the semantics the controllers rely on: a store-wide resourceVersion, 409 on a
/// stale update, status-only writes, watches that replay from a version and 410 once history is trimmed.
/// </summary>
internal sealed class FakeKubeApi : IKubeApi
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Plural, string Ns, string Name), JsonObject> objects = [];
    private readonly List<(long Version, string Plural, string Type, JsonObject Object)> history = [];
    private readonly List<(string Plural, string? Ns, Channel<KubeWatchEvent> Channel)> watchers = [];
    private long version;
    private long trimmedBefore;

    public List<string> Calls { get; } = [];

    /// <summary>Makes the next write of this plural fail with the given status.</summary>
    public HttpStatusCode? FailNextWrite { get; set; }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"get {kind.Plural} {name}");
            return Task.FromResult(objects.TryGetValue((kind.Plural, ns ?? "", name), out var obj) ? obj.DeepClone().AsObject() : null);
        }
    }

    public Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"list {kind.Plural}");
            var items = objects.Where(p => p.Key.Plural == kind.Plural && (ns is null || p.Key.Ns == ns)).Select(p => (JsonNode)p.Value.DeepClone()).ToArray();
            return Task.FromResult(new JsonObject { ["items"] = new JsonArray(items), ["metadata"] = new JsonObject { ["resourceVersion"] = $"{version}" } });
        }
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"create {kind.Plural} {Name(obj)}");
            ThrowIfFailing();
            var key = (kind.Plural, ns ?? "", Name(obj));
            if (objects.ContainsKey(key))
            {
                throw new KubeApiException(HttpStatusCode.Conflict, "AlreadyExists", $"{kind.Plural} \"{key.Item3}\" already exists");
            }

            var stored = obj.DeepClone().AsObject();
            var meta = stored["metadata"]!.AsObject();
            meta["namespace"] = ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["generation"] = 1;
            return Task.FromResult(Commit(kind.Plural, "ADDED", key, stored));
        }
    }

    public Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Replace(kind, ns, obj, statusOnly: false);

    public Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Replace(kind, ns, obj, statusOnly: true);

    public Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"patch {kind.Plural} {name}{(subresource is null ? "" : "/" + subresource)}");
            ThrowIfFailing();
            var key = (kind.Plural, ns ?? "", name);
            if (!objects.TryGetValue(key, out var current))
            {
                throw NotFound(kind, name);
            }

            var merged = MergePatch.Apply(current.DeepClone(), patch)!.AsObject();
            if (subresource != "status")
            {
                merged["status"] = current["status"]?.DeepClone();
            }

            return Task.FromResult(Commit(kind.Plural, "MODIFIED", key, merged, bumpGeneration: !JsonNode.DeepEquals(current["spec"], merged["spec"])));
        }
    }

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"delete {kind.Plural} {name}");
            var key = (kind.Plural, ns ?? "", name);
            if (!objects.TryGetValue(key, out var current))
            {
                return Task.FromResult(false);
            }

            if (current["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
            {
                var marked = current.DeepClone().AsObject();
                marked["metadata"]!["deletionTimestamp"] ??= "2026-11-26T12:00:00Z";
                Commit(kind.Plural, "MODIFIED", key, marked);
                return Task.FromResult(true);
            }

            objects.Remove(key);
            version++;
            Publish(kind.Plural, "DELETED", current.DeepClone().AsObject());
            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<KubeWatchEvent>();
        lock (gate)
        {
            var from = long.Parse(resourceVersion, System.Globalization.CultureInfo.InvariantCulture);
            if (from < trimmedBefore)
            {
                throw new KubeApiException(HttpStatusCode.Gone, "Expired", $"too old resource version: {from}");
            }

            foreach (var past in history.Where(h => h.Version > from && h.Plural == kind.Plural))
            {
                channel.Writer.TryWrite(new KubeWatchEvent(past.Type, past.Object.DeepClone().AsObject()));
            }

            watchers.Add((kind.Plural, ns, channel));
        }

        await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return change;
        }
    }

    /// <summary>Forgets history so that older watches get 410, and ends open watches (as a restarted server does).</summary>
    public void TrimHistoryAndCloseWatches()
    {
        lock (gate)
        {
            trimmedBefore = version;
            history.Clear();
            foreach (var watcher in watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }

            watchers.Clear();
        }
    }

    /// <summary>Writes an object directly, as another client would.</summary>
    public JsonObject Put(ResourceKind kind, JsonObject obj)
    {
        lock (gate)
        {
            var ns = obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";
            var key = (kind.Plural, ns, Name(obj));
            var exists = objects.ContainsKey(key);
            var stored = obj.DeepClone().AsObject();
            stored["apiVersion"] ??= kind.ApiVersion;
            stored["kind"] ??= kind.Kind;
            stored["metadata"]!["uid"] ??= Guid.NewGuid().ToString();
            return Commit(kind.Plural, exists ? "MODIFIED" : "ADDED", key, stored);
        }
    }

    public JsonObject? Peek(ResourceKind kind, string ns, string name)
    {
        lock (gate)
        {
            return objects.TryGetValue((kind.Plural, ns, name), out var obj) ? obj.DeepClone().AsObject() : null;
        }
    }

    private Task<JsonObject> Replace(ResourceKind kind, string? ns, JsonObject obj, bool statusOnly)
    {
        lock (gate)
        {
            Calls.Add($"{(statusOnly ? "status" : "update")} {kind.Plural} {Name(obj)}");
            ThrowIfFailing();
            var key = (kind.Plural, ns ?? "", Name(obj));
            if (!objects.TryGetValue(key, out var current))
            {
                throw NotFound(kind, key.Item3);
            }

            var expected = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (expected is { Length: > 0 } && expected != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw new KubeApiException(HttpStatusCode.Conflict, "Conflict",
                    $"Operation cannot be fulfilled on {kind.Plural} \"{key.Item3}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            var next = current.DeepClone().AsObject();
            if (statusOnly)
            {
                next["status"] = obj["status"]?.DeepClone();
            }
            else
            {
                next = obj.DeepClone().AsObject();
                next["status"] = current["status"]?.DeepClone();
                foreach (var field in new[] { "uid", "generation", "creationTimestamp", "namespace" })
                {
                    next["metadata"]![field] = current["metadata"]![field]?.DeepClone();
                }
            }

            var bump = !statusOnly && !JsonNode.DeepEquals(current["spec"], next["spec"]);
            if (next["metadata"]?["deletionTimestamp"] is not null && next["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
            {
                objects.Remove(key);
                version++;
                Publish(kind.Plural, "DELETED", next);
                return Task.FromResult(next);
            }

            return Task.FromResult(Commit(kind.Plural, "MODIFIED", key, next, bump));
        }
    }

    private JsonObject Commit(string plural, string type, (string Plural, string Ns, string Name) key, JsonObject stored, bool bumpGeneration = false)
    {
        version++;
        var meta = stored["metadata"]!.AsObject();
        meta["resourceVersion"] = $"{version}";
        if (bumpGeneration)
        {
            meta["generation"] = Sluice.Controllers.Workloads.JsonPath.Long(meta, "generation") + 1;
        }

        objects[key] = stored;
        Publish(plural, type, stored);
        return stored.DeepClone().AsObject();
    }

    private void Publish(string plural, string type, JsonObject obj)
    {
        history.Add((version, plural, type, obj.DeepClone().AsObject()));
        foreach (var watcher in watchers.Where(w => w.Plural == plural))
        {
            watcher.Channel.Writer.TryWrite(new KubeWatchEvent(type, obj.DeepClone().AsObject()));
        }
    }

    private void ThrowIfFailing()
    {
        if (FailNextWrite is { } status)
        {
            FailNextWrite = null;
            throw new KubeApiException(status, status.ToString(), "injected failure");
        }
    }

    private static KubeApiException NotFound(ResourceKind kind, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{kind.Plural} \"{name}\" not found");

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();
}
