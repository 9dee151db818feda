using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// The watch machinery for people rather than controllers: informers of the kinds a view shows, started when a view
/// needs them (<see cref="Acquire"/>) and stopped a while after the last one let go, read as a whole
/// (<see cref="IObjectReader"/>), with one event for every change. The dashboard and the CLI's watching verbs
/// (<c>get -w</c>, <c>rollout watch</c>, <c>rollout status</c>) read through it instead of polling. Informers resume or
/// list again when the API server goes away and comes back; <see cref="Problems"/> says what is failing meanwhile.
/// </summary>
public sealed class ClusterCache(IKubeApi api, TimeProvider time, ILogger logger, TimeSpan? linger = null) : IObjectReader, IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<(ResourceKind Kind, string? Ns), Entry> entries = [];
    private readonly CancellationTokenSource stop = new();
    private readonly TimeSpan lingerTime = linger ?? TimeSpan.FromSeconds(30);

    /// <summary>Raised on the informer's loop for every change of every object held: keep handlers short.</summary>
    public event Action<ResourceKind, InformerEvent>? Changed;

    /// <summary>Raised when an informer starts failing or recovers (see <see cref="Problems"/>).</summary>
    public event Action? HealthChanged;

    /// <summary>
    /// Keeps an informer of <paramref name="kind"/> in <paramref name="ns"/> (null: all namespaces) running until the lease
    /// is disposed (and <c>linger</c> after, in case the next view wants it too). An informer of all namespaces covers any one.
    /// </summary>
    public IDisposable Acquire(ResourceKind kind, string? ns)
    {
        ns = kind.Namespaced ? ns : null;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stop.IsCancellationRequested, this);
            (ResourceKind Kind, string? Ns) key = entries.ContainsKey((kind, null)) ? (kind, null) : (kind, ns);
            if (!entries.TryGetValue(key, out var entry))
            {
                entry = Start(key.Kind, key.Ns);
                entries[key] = entry;
            }

            entry.References++;
            entry.Linger?.Dispose();
            entry.Linger = null;
            return new Lease(this, key);
        }
    }

    /// <summary>
    /// Completes when the informer covering <paramref name="kind"/> in <paramref name="ns"/> has listed once, or the API
    /// refused to list it (a kind not installed, a namespace not allowed: the cache then holds none of them).
    /// </summary>
    public Task ReadyAsync(ResourceKind kind, string? ns, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var entry = Find(kind, kind.Namespaced ? ns : null) ?? throw new InvalidOperationException($"{kind} in {ns ?? "all namespaces"} is not watched: Acquire it first");
            return Task.WhenAny(entry.Informer.Synced, entry.Refused.Task).Unwrap().WaitAsync(cancellationToken);
        }
    }

    public JsonObject? Get(ResourceKind kind, string? ns, string name)
    {
        Informer? informer;
        lock (gate)
        {
            informer = Find(kind, kind.Namespaced ? ns : null)?.Informer;
        }

        return informer?.Get(kind.Namespaced ? ns : null, name);
    }

    public IReadOnlyList<JsonObject> List(ResourceKind kind, string? ns)
    {
        Informer? informer;
        lock (gate)
        {
            informer = Find(kind, kind.Namespaced ? ns : null)?.Informer;
        }

        if (informer is null)
        {
            return [];
        }

        var all = informer.List();
        return ns is null || !kind.Namespaced || informer.Namespace == ns
            ? all
            : all.Where(o => o["metadata"]?["namespace"]?.GetValue<string>() == ns).ToList();
    }

    /// <summary>What the informers fail at now (the API server is away, a kind is not installed, RBAC refuses a list).</summary>
    public IReadOnlyList<CacheProblem> Problems
    {
        get
        {
            lock (gate)
            {
                return entries.Values.Where(e => e.Informer.LastError is not null)
                    .Select(e => new CacheProblem(e.Informer.Kind, e.Informer.Namespace, e.Informer.LastError!))
                    .OrderBy(p => p.Kind.Plural, StringComparer.Ordinal)
                    .ToList();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Entry> running;
        lock (gate)
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            stop.Cancel();
            running = [.. entries.Values];
            entries.Clear();
        }

        foreach (var entry in running)
        {
            await StopAsync(entry);
        }

        stop.Dispose();
    }

    private Entry? Find(ResourceKind kind, string? ns) =>
        entries.TryGetValue((kind, null), out var all) ? all : ns is not null && entries.TryGetValue((kind, ns), out var one) ? one : null;

    private Entry Start(ResourceKind kind, string? ns)
    {
        var informer = new Informer(api, kind, ns, time, logger);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var entry = new Entry(informer, cancel);
        informer.Changed += e => Changed?.Invoke(kind, e);
        informer.HealthChanged += () =>
        {
            if (informer.LastError is KubeApiException { IsGone: false })
            {
                entry.Refused.TrySetResult();
            }

            HealthChanged?.Invoke();
        };
        entry.Run = Task.Run(() => informer.RunAsync(cancel.Token), CancellationToken.None);
        return entry;
    }

    private void Release((ResourceKind Kind, string? Ns) key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry) || --entry.References > 0)
            {
                return;
            }

            if (lingerTime <= TimeSpan.Zero)
            {
                entries.Remove(key);
                _ = StopAsync(entry);
                return;
            }

            entry.Linger = time.CreateTimer(_ =>
            {
                lock (gate)
                {
                    if (entry.References > 0 || !entries.Remove(key))
                    {
                        return;
                    }
                }

                _ = StopAsync(entry);
            }, null, lingerTime, Timeout.InfiniteTimeSpan);
        }
    }

    private static async Task StopAsync(Entry entry)
    {
        entry.Linger?.Dispose();
        await entry.Cancel.CancelAsync();
        await (entry.Run ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
        entry.Cancel.Dispose();
    }

    private sealed class Entry(Informer informer, CancellationTokenSource cancel)
    {
        public Informer Informer => informer;

        public CancellationTokenSource Cancel => cancel;

        public TaskCompletionSource Refused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task? Run { get; set; }

        public int References { get; set; }

        public ITimer? Linger { get; set; }
    }

    private sealed class Lease(ClusterCache cache, (ResourceKind, string?) key) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                cache.Release(key);
            }
        }
    }
}

/// <summary>An informer that is failing now, and why.</summary>
public sealed record CacheProblem(ResourceKind Kind, string? Namespace, Exception Error);
