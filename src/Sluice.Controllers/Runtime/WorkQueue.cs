using System.Diagnostics.Metrics;
using Sluice.Controllers.Metrics;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// A de-duplicating work queue with one worker per key (controller-runtime's semantics): a key added
/// while queued is queued once; a key added while being processed is processed again afterwards, never
/// concurrently. Failed keys come back after a per-key exponential backoff; delayed adds use the
/// injected <see cref="TimeProvider"/>'s timers. Two priorities: a worker takes any <see cref="WorkPriority.High"/>
/// key before a <see cref="WorkPriority.Normal"/> one (a key added again at a higher priority moves up), so work that
/// continues what is under way is not stuck behind a burst of new work. A named queue reports its depth, adds, waits
/// and retries as metrics (<see cref="SluiceMetrics"/>).
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable, IMetricsSource
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim available = new(0);
    private readonly Queue<TKey> high = new();
    private readonly Queue<TKey> normal = new();
    private readonly Dictionary<TKey, WorkPriority> queued = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, WorkPriority> dirty = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly Dictionary<TKey, (ITimer Timer, DateTimeOffset Due, WorkPriority Priority)> delayed = [];
    private readonly TimeProvider time;
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;
    private readonly string? name;
    private readonly Dictionary<TKey, long> queuedAt = [];
    private readonly IDisposable? metrics;
    private bool disposed;

    /// <param name="name">Names the queue in metrics; null reports none.</param>
    public WorkQueue(TimeProvider time, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, string? name = null)
    {
        this.time = time;
        this.baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(50);
        this.maxDelay = maxDelay ?? TimeSpan.FromMinutes(2);
        this.name = name;
        metrics = name is null ? null : SluiceMetrics.Register(this);
        if (name is not null)
        {
            SluiceMetrics.QueueCreated(name);
        }
    }

    /// <summary>Keys waiting for a worker.</summary>
    public int Length
    {
        get
        {
            lock (gate)
            {
                return queued.Count;
            }
        }
    }

    public void Add(TKey key, WorkPriority priority = WorkPriority.Normal)
    {
        if (name is not null)
        {
            SluiceMetrics.QueueAdded(name);
        }

        lock (gate)
        {
            if (processing.Contains(key))
            {
                dirty[key] = Max(dirty.GetValueOrDefault(key), priority);
                return;
            }

            Enqueue(key, priority);
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending delay wins over a later one.</summary>
    public void AddAfter(TKey key, TimeSpan delay, WorkPriority priority = WorkPriority.Normal)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key, priority);
            return;
        }

        lock (gate)
        {
            var due = time.GetUtcNow() + delay;
            if (delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = time.CreateTimer(_ => Fire(key), null, delay, Timeout.InfiniteTimeSpan);
            delayed[key] = (timer, due, priority);
        }
    }

    /// <summary>The key failed: try again after an exponential backoff (base doubling per failure, capped).</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        TimeSpan delay;
        lock (gate)
        {
            var count = failures.GetValueOrDefault(key);
            failures[key] = count + 1;
            var factor = Math.Pow(2, Math.Min(count, 20));
            delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * factor));
        }

        if (name is not null)
        {
            SluiceMetrics.QueueRetried(name);
        }

        AddAfter(key, delay);
        return delay;
    }

    /// <summary>The key succeeded: its backoff starts over.</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <summary>Takes the next key, high priority first; call <see cref="Done"/> when finished with it.</summary>
    public async ValueTask<TKey> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await available.WaitAsync(cancellationToken);
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                var fromHigh = high.Count > 0;
                var key = fromHigh ? high.Dequeue() : normal.Dequeue();
                // A key moved up is in both queues: the entry that does not match its priority is stale.
                if (!queued.TryGetValue(key, out var priority) || (priority == WorkPriority.High) != fromHigh)
                {
                    continue;
                }

                queued.Remove(key);
                processing.Add(key);
                if (queuedAt.Remove(key, out var since))
                {
                    SluiceMetrics.QueueWaited(name!, time.GetElapsedTime(since));
                }

                return key;
            }
        }
    }

    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Remove(key, out var priority))
            {
                Enqueue(key, priority);
            }
        }
    }

    /// <summary>Runs <paramref name="workers"/> workers until cancelled; a throwing handler is retried with backoff.</summary>
    public Task RunAsync(int workers, Func<TKey, CancellationToken, Task<TimeSpan?>> handle, Action<TKey, Exception> onError, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(handle, onError, cancellationToken), CancellationToken.None)));

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var (timer, _, _) in delayed.Values)
            {
                timer.Dispose();
            }

            delayed.Clear();
            disposed = true;
        }

        metrics?.Dispose();

        // Wakes every waiting worker; they find the queue disposed.
        available.Release(1024);
    }

    IEnumerable<Measurement<long>> IMetricsSource.QueueDepth() => [new(Length, new KeyValuePair<string, object?>("name", name))];

    private static WorkPriority Max(WorkPriority a, WorkPriority b) => a > b ? a : b;

    /// <summary>Under the gate: queues the key once, or moves it up when it waits at a lower priority.</summary>
    private void Enqueue(TKey key, WorkPriority priority)
    {
        if (disposed)
        {
            return;
        }

        if (queued.TryGetValue(key, out var current) && current >= priority)
        {
            return;
        }

        queued[key] = priority;
        if (name is not null)
        {
            queuedAt.TryAdd(key, time.GetTimestamp());
        }

        (priority == WorkPriority.High ? high : normal).Enqueue(key);
        available.Release();
    }

    private async Task WorkAsync(Func<TKey, CancellationToken, Task<TimeSpan?>> handle, Action<TKey, Exception> onError, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TKey key;
            try
            {
                key = await TakeAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                var requeue = await handle(key, cancellationToken);
                Forget(key);
                if (requeue is { } after)
                {
                    // Asked for by the reconcile itself: the key is under way.
                    AddAfter(key, after, WorkPriority.High);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                onError(key, e);
                AddRateLimited(key);
            }
            finally
            {
                Done(key);
            }
        }
    }

    private void Fire(TKey key)
    {
        WorkPriority priority;
        lock (gate)
        {
            if (!delayed.Remove(key, out var pending))
            {
                return;
            }

            pending.Timer.Dispose();
            priority = pending.Priority;
        }

        Add(key, priority);
    }
}
