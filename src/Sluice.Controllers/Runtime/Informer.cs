using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// List+watch of one resource into a local cache (KubernetesClient has no informers). It watches from
/// the list's resourceVersion, resumes from the last one it saw when a watch ends, lists again on
/// <c>410 Gone</c> (emitting what changed meanwhile), backs off on errors, and emits a slow resync of
/// every object as a safety net. Handlers run on the informer's loop: keep them short (enqueue a key).
/// The cache also takes the objects the controller's own writes return (<see cref="Observe"/>, client-go's
/// mutation cache), so a read after a write sees it before its watch event arrives; where resourceVersions are
/// integers (etcd's and the embedded plane's) the cache never goes back to an older version of an object.
/// Objects are kept as compact UTF-8 JSON (a parsed tree costs several times its text) and parsed afresh
/// for each reader, who may change its copy.
/// </summary>
public sealed class Informer(IKubeApi api, ResourceKind kind, string? ns, TimeProvider time, ILogger logger, TimeSpan? resync = null)
{
    private readonly ConcurrentDictionary<ObjectKey, Cached> cache = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan resyncPeriod = resync ?? TimeSpan.FromMinutes(5);
    private readonly Lock indexGate = new();
    private readonly Dictionary<string, HashSet<ObjectKey>> byLabel = [];
    private readonly Dictionary<ObjectKey, string> labelOf = [];

    public event Action<InformerEvent>? Changed;

    /// <summary>Raised when <see cref="LastError"/> is set or cleared (a watch failed, or the informer is back in step).</summary>
    public event Action? HealthChanged;

    /// <summary>Why the last list or watch failed, until one succeeds again: a dashboard shows it; the informer keeps retrying.</summary>
    public Exception? LastError { get; private set; }

    public ResourceKind Kind => kind;

    /// <summary>The namespace watched, or null for all.</summary>
    public string? Namespace => ns;

    /// <summary>True once the first list is in the cache.</summary>
    public bool IsSynced => synced.Task.IsCompleted;

    /// <summary>Completes once the first list is in the cache.</summary>
    public Task Synced => synced.Task;

    /// <summary>The last resourceVersion seen.</summary>
    public string ResourceVersion { get; private set; } = "0";

    /// <summary>A copy of the cached object, or null.</summary>
    public JsonObject? Get(string? objectNamespace, string name) =>
        cache.TryGetValue(new ObjectKey(objectNamespace ?? string.Empty, name), out var obj) ? obj.Parse() : null;

    /// <summary>The label <see cref="ListByLabel"/> finds objects by, if any.</summary>
    public string? IndexedLabel { get; private set; }

    /// <summary>Indexes the cache by the value of <paramref name="label"/> (call before running).</summary>
    public Informer IndexByLabel(string label)
    {
        IndexedLabel = label;
        return this;
    }

    /// <summary>Copies of the cached objects whose <see cref="IndexedLabel"/> is <paramref name="value"/>.</summary>
    public IReadOnlyList<JsonObject> ListByLabel(string value)
    {
        List<ObjectKey> keys;
        lock (indexGate)
        {
            keys = byLabel.TryGetValue(value, out var set) ? [.. set] : [];
        }

        return keys.Select(k => cache.TryGetValue(k, out var entry) && entry.Label == value ? entry.Parse() : null).OfType<JsonObject>().ToList();
    }

    /// <summary>Copies of every cached object.</summary>
    public IReadOnlyList<JsonObject> List() => cache.Values.Select(c => c.Parse()).ToList();

    /// <summary>The keys of every cached object.</summary>
    public IReadOnlyList<ObjectKey> Keys() => cache.Keys.ToList();

    public int Count => cache.Count;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var needList = true;
        var nextResync = time.GetUtcNow() + resyncPeriod;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken);
                    needList = false;
                    Healthy();
                }

                await foreach (var change in api.WatchAsync(kind, ns, ResourceVersion, cancellationToken))
                {
                    Apply(change);
                    failures = 0;
                    Healthy();
                    if (time.GetUtcNow() >= nextResync)
                    {
                        Resync();
                        nextResync = time.GetUtcNow() + resyncPeriod;
                    }
                }

                logger.LogDebug("watch of {Kind} ended at {Version}; watching again", kind, ResourceVersion);
                if (time.GetUtcNow() >= nextResync)
                {
                    Resync();
                    nextResync = time.GetUtcNow() + resyncPeriod;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                logger.LogInformation("watch of {Kind} from resourceVersion {Version} is too old; listing again", kind, ResourceVersion);
                needList = true;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                // As client-go's reflector: a watch that failed (rather than ended) is followed by a list, which also
                // tells that the server answers again (a dashboard clears its warning) and what changed meanwhile.
                Failed(e);
                needList = true;
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10))));
                logger.LogWarning("watch of {Kind} failed ({Error}); retrying in {Delay}", kind, e.Message, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Healthy()
    {
        if (LastError is not null)
        {
            LastError = null;
            RaiseHealth();
        }
    }

    private void Failed(Exception e)
    {
        LastError = e;
        RaiseHealth();
    }

    private void RaiseHealth()
    {
        try
        {
            HealthChanged?.Invoke();
        }
        catch (Exception e)
        {
            logger.LogError(e, "a handler of {Kind} health changes failed", kind);
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(kind, ns, null, cancellationToken);
        var seen = new HashSet<ObjectKey>();
        foreach (var item in list["items"]?.AsArray() ?? [])
        {
            if (item is not JsonObject obj)
            {
                continue;
            }

            obj["apiVersion"] ??= kind.ApiVersion;
            obj["kind"] ??= kind.Kind;
            var key = ObjectKey.Of(obj);
            seen.Add(key);
            if (Store(key, obj) is not { } stored)
            {
                continue;
            }

            if (stored.Previous is null)
            {
                Raise(InformerEventType.Added, obj);
            }
            else if (stored.Previous.Version != Version(obj))
            {
                Raise(InformerEventType.Modified, obj);
            }
        }

        foreach (var gone in cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (cache.TryRemove(gone, out var removed))
            {
                Reindex(gone);
                Raise(InformerEventType.Deleted, removed.Parse());
            }
        }

        ResourceVersion = list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0";
        synced.TrySetResult();
    }

    private void Apply(KubeWatchEvent change)
    {
        if (change.ResourceVersion is { Length: > 0 } version)
        {
            ResourceVersion = version;
        }

        logger.LogDebug("watch {Kind}: {Type} {Name} at {Version}", kind, change.Type, ObjectKey.Of(change.Object), change.ResourceVersion);
        if (change.Type == "BOOKMARK")
        {
            return;
        }

        var key = ObjectKey.Of(change.Object);
        switch (change.Type)
        {
            case "ADDED":
            case "MODIFIED":
                // Not when the cache already holds a newer version (from a write of ours): its own event follows.
                if (Store(key, change.Object) is { } stored)
                {
                    Raise(stored.WasCached ? InformerEventType.Modified : InformerEventType.Added, change.Object);
                }

                break;
            case "DELETED":
                cache.TryRemove(key, out _);
                Reindex(key);
                Raise(InformerEventType.Deleted, change.Object);
                break;
        }
    }

    /// <summary>
    /// Takes an object a write of ours returned. An update replaces only an older cached version of an object
    /// still cached (a deletion seen meanwhile is not undone); a create adds only what is not cached yet.
    /// </summary>
    public void Observe(JsonObject written, bool created)
    {
        if (!IsSynced || (ns is not null && written["metadata"]?["namespace"]?.GetValue<string>() != ns))
        {
            return;
        }

        written["apiVersion"] ??= kind.ApiVersion;
        written["kind"] ??= kind.Kind;
        var key = ObjectKey.Of(written);
        var entry = Cached.Of(written, IndexedLabel);
        if (created)
        {
            if (cache.TryAdd(key, entry))
            {
                Reindex(key);
            }

            return;
        }

        while (cache.TryGetValue(key, out var existing) && IsOlder(existing.Version, entry.Version))
        {
            if (cache.TryUpdate(key, entry, existing))
            {
                Reindex(key);
                return;
            }
        }
    }

    /// <summary>Caches <paramref name="obj"/> unless a newer version is cached; null when it was not stored.</summary>
    private (bool WasCached, Cached? Previous)? Store(ObjectKey key, JsonObject obj)
    {
        var entry = Cached.Of(obj, IndexedLabel);
        while (true)
        {
            if (!cache.TryGetValue(key, out var existing))
            {
                if (cache.TryAdd(key, entry))
                {
                    Reindex(key);
                    return (false, null);
                }

                continue;
            }

            if (IsOlder(entry.Version, existing.Version))
            {
                return null;
            }

            if (cache.TryUpdate(key, entry, existing))
            {
                Reindex(key);
                return (true, existing);
            }
        }
    }

    /// <summary>Files the key under its cached object's label value (after every change of the cache: the last call sees the last state).</summary>
    private void Reindex(ObjectKey key)
    {
        if (IndexedLabel is null)
        {
            return;
        }

        lock (indexGate)
        {
            if (labelOf.Remove(key, out var old) && byLabel.TryGetValue(old, out var set) && set.Remove(key) && set.Count == 0)
            {
                byLabel.Remove(old);
            }

            if (cache.TryGetValue(key, out var entry) && entry.Label is { } value)
            {
                labelOf[key] = value;
                if (!byLabel.TryGetValue(value, out var keys))
                {
                    byLabel[value] = keys = [];
                }

                keys.Add(key);
            }
        }
    }

    private void Resync()
    {
        foreach (var obj in cache.Values)
        {
            Raise(InformerEventType.Resync, obj.Parse());
        }
    }

    private void Raise(InformerEventType type, JsonObject obj)
    {
        try
        {
            Changed?.Invoke(new InformerEvent(type, obj));
        }
        catch (Exception e)
        {
            logger.LogError(e, "a handler of {Kind} events failed", kind);
        }
    }

    private static string? Version(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();

    /// <summary>True when both versions are integers and <paramref name="version"/> is the lower (opaque versions never compare).</summary>
    private static bool IsOlder(string? version, string? than) =>
        long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var a)
        && long.TryParse(than, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b)
        && a < b;

    /// <summary>An object as UTF-8 JSON, with its resourceVersion and the value of the indexed label.</summary>
    private sealed record Cached(string? Version, string? Label, byte[] Json)
    {
        public static Cached Of(JsonObject obj, string? indexLabel) => new(
            Informer.Version(obj),
            indexLabel is null ? null : obj["metadata"]?["labels"]?[indexLabel]?.GetValue<string>(),
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj));

        public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();
    }
}
