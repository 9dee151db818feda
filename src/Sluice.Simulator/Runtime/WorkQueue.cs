using System.Threading.Channels;

namespace Sluice.Simulator.Runtime;

/// <summary>
/// A work queue as controller-runtime keeps one: a key waits at most once (adds while it waits are merged),
/// a key being worked on is not handed to a second worker (an add meanwhile runs it again afterwards), and
/// keys can be added for a later time (one timer from the injected <see cref="TimeProvider"/> for all of them).
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<WorkKey> _dirty = [];
    private readonly HashSet<WorkKey> _processing = [];
    private readonly Channel<WorkKey> _ready = Channel.CreateUnbounded<WorkKey>();
    private readonly PriorityQueue<WorkKey, DateTimeOffset> _delayed = new();
    private readonly Dictionary<WorkKey, DateTimeOffset> _due = [];
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private DateTimeOffset? _timerAt;

    public WorkQueue(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _dirty.Count + _processing.Count;
            }
        }
    }

    public void Add(WorkKey key)
    {
        lock (_gate)
        {
            if (!_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }
        }
        _ready.Writer.TryWrite(key);
    }

    /// <summary>Adds the key at <paramref name="at"/> (at once when that is not in the future).</summary>
    public void AddAt(WorkKey key, DateTimeOffset at)
    {
        if (at <= _time.GetUtcNow())
        {
            Add(key);
            return;
        }
        lock (_gate)
        {
            if (_due.TryGetValue(key, out var due) && due <= at)
            {
                return;
            }
            _due[key] = at;
            _delayed.Enqueue(key, at);
            Reschedule();
        }
    }

    public async ValueTask<WorkKey> TakeAsync(CancellationToken cancel)
    {
        var key = await _ready.Reader.ReadAsync(cancel).ConfigureAwait(false);
        lock (_gate)
        {
            _dirty.Remove(key);
            _processing.Add(key);
        }
        return key;
    }

    public void Done(WorkKey key)
    {
        bool again;
        lock (_gate)
        {
            _processing.Remove(key);
            again = _dirty.Contains(key);
        }
        if (again)
        {
            _ready.Writer.TryWrite(key);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _ready.Writer.TryComplete();
    }

    private void Fire()
    {
        var now = _time.GetUtcNow();
        var fire = new List<WorkKey>();
        lock (_gate)
        {
            while (_delayed.TryPeek(out var key, out var at) && at <= now)
            {
                _delayed.Dequeue();
                if (_due.TryGetValue(key, out var due) && due == at)
                {
                    _due.Remove(key);
                    fire.Add(key);
                }
            }
            _timerAt = null;
            Reschedule();
        }
        foreach (var key in fire)
        {
            Add(key);
        }
    }

    private void Reschedule()
    {
        while (_delayed.TryPeek(out var key, out var at))
        {
            if (!_due.TryGetValue(key, out var due) || due != at)
            {
                _delayed.Dequeue();
                continue;
            }
            if (_timerAt != at)
            {
                _timerAt = at;
                var wait = at - _time.GetUtcNow();
                _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
            }
            return;
        }
    }
}
