using System.Threading.Channels;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// A de-duplicating work queue with one worker per key (controller-runtime's semantics): a key added
/// while queued is queued once; a key added while being processed is processed again afterwards, never
/// concurrently. Failed keys come back after a per-key exponential backoff; delayed adds use the
/// injected <see cref="TimeProvider"/>'s timers.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Channel<TKey> ready = Channel.CreateUnbounded<TKey>(new UnboundedChannelOptions { SingleReader = false });
    private readonly HashSet<TKey> queued = [];
    private readonly HashSet<TKey> processing = [];
    private readonly HashSet<TKey> dirty = [];
    private readonly Dictionary<TKey, int> failures = [];
    private readonly Dictionary<TKey, (ITimer Timer, DateTimeOffset Due)> delayed = [];
    private readonly TimeProvider time;
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;

    public WorkQueue(TimeProvider time, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        this.time = time;
        this.baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(50);
        this.maxDelay = maxDelay ?? TimeSpan.FromMinutes(2);
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

    public void Add(TKey key)
    {
        lock (gate)
        {
            if (processing.Contains(key))
            {
                dirty.Add(key);
                return;
            }

            if (queued.Add(key))
            {
                ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending delay wins over a later one.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
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
            delayed[key] = (timer, due);
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

    /// <summary>Takes the next key; call <see cref="Done"/> when finished with it.</summary>
    public async ValueTask<TKey> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await ready.Reader.ReadAsync(cancellationToken);
            lock (gate)
            {
                if (!queued.Remove(key))
                {
                    continue;
                }

                processing.Add(key);
                return key;
            }
        }
    }

    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Remove(key) && queued.Add(key))
            {
                ready.Writer.TryWrite(key);
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
            foreach (var (timer, _) in delayed.Values)
            {
                timer.Dispose();
            }

            delayed.Clear();
        }

        ready.Writer.TryComplete();
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
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                return;
            }

            try
            {
                var requeue = await handle(key, cancellationToken);
                Forget(key);
                if (requeue is { } after)
                {
                    AddAfter(key, after);
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
        lock (gate)
        {
            if (delayed.Remove(key, out var pending))
            {
                pending.Timer.Dispose();
            }
        }

        Add(key);
    }
}
