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
/// </summary>
public sealed class Informer(IKubeApi api, ResourceKind kind, string? ns, TimeProvider time, ILogger logger, TimeSpan? resync = null)
{
    private readonly ConcurrentDictionary<ObjectKey, JsonObject> cache = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan resyncPeriod = resync ?? TimeSpan.FromMinutes(5);

    public event Action<InformerEvent>? Changed;

    public ResourceKind Kind => kind;

    /// <summary>Completes once the first list is in the cache.</summary>
    public Task Synced => synced.Task;

    /// <summary>The last resourceVersion seen.</summary>
    public string ResourceVersion { get; private set; } = "0";

    public JsonObject? Get(string? objectNamespace, string name) =>
        cache.TryGetValue(new ObjectKey(objectNamespace ?? string.Empty, name), out var obj) ? obj : null;

    public IReadOnlyList<JsonObject> List(string? objectNamespace = null) =>
        objectNamespace is null ? cache.Values.ToList() : cache.Where(p => p.Key.Namespace == objectNamespace).Select(p => p.Value).ToList();

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
                }

                await foreach (var change in api.WatchAsync(kind, ns, ResourceVersion, cancellationToken))
                {
                    Apply(change);
                    failures = 0;
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
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10))));
                logger.LogWarning("watch of {Kind} failed ({Error}); retrying in {Delay}", kind, e.Message, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
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
            var existing = cache.GetValueOrDefault(key);
            cache[key] = obj;
            if (existing is null)
            {
                Raise(InformerEventType.Added, obj);
            }
            else if (Version(existing) != Version(obj))
            {
                Raise(InformerEventType.Modified, obj);
            }
        }

        foreach (var gone in cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (cache.TryRemove(gone, out var removed))
            {
                Raise(InformerEventType.Deleted, removed);
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
                var isNew = !cache.ContainsKey(key);
                cache[key] = change.Object;
                Raise(isNew ? InformerEventType.Added : InformerEventType.Modified, change.Object);
                break;
            case "DELETED":
                cache.TryRemove(key, out _);
                Raise(InformerEventType.Deleted, change.Object);
                break;
        }
    }

    private void Resync()
    {
        foreach (var obj in cache.Values)
        {
            Raise(InformerEventType.Resync, obj);
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
}
