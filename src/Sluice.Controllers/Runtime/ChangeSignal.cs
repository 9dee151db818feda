namespace Sluice.Controllers.Runtime;

/// <summary>
/// Wakes one consumer when anything changed, coalescing a burst into one wake-up. The consumer waits, then reads the
/// state it shows: a change notified while it reads wakes it again at once, so none is missed.
/// </summary>
public sealed class ChangeSignal
{
    private readonly Lock gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify()
    {
        lock (gate)
        {
            changed.TrySetResult();
        }
    }

    /// <summary>Completes at the first change notified since the last wait returned (at once if there was one).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Task next;
        lock (gate)
        {
            next = changed.Task;
        }

        await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            if (changed.Task == next)
            {
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}
