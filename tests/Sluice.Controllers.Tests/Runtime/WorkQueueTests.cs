using Microsoft.Extensions.Time.Testing;
using Sluice.Controllers.Runtime;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Runtime;

public class WorkQueueTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Add_SameKeyTwiceWhileQueued_IsTakenOnce()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        var first = await queue.TakeAsync(CancellationToken.None);
        var second = await queue.TakeAsync(CancellationToken.None);

        new[] { first, second }.ShouldBe(["a", "b"]);
        queue.Length.ShouldBe(0);
    }

    [Fact]
    public async Task Add_WhileProcessing_RequeuesAfterDoneNotBefore()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        queue.Length.ShouldBe(0);
        queue.Done(key);

        queue.Length.ShouldBe(1);
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("a");
    }

    [Fact]
    public async Task Take_HighPriorityKeys_ComeBeforeNormalOnesAddedEarlier()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("new-1");
        queue.Add("new-2");
        queue.Add("under-way", WorkPriority.High);

        var order = new[] { await queue.TakeAsync(CancellationToken.None), await queue.TakeAsync(CancellationToken.None), await queue.TakeAsync(CancellationToken.None) };

        order.ShouldBe(["under-way", "new-1", "new-2"]);
    }

    [Fact]
    public async Task Add_AgainAtHighPriority_MovesTheKeyUpAndItIsTakenOnce()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("b");
        queue.Add("b", WorkPriority.High);
        queue.Add("b");

        var first = await queue.TakeAsync(CancellationToken.None);
        var second = await queue.TakeAsync(CancellationToken.None);

        new[] { first, second }.ShouldBe(["b", "a"]);
        queue.Length.ShouldBe(0);
        queue.Add("c");
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("c");
    }

    [Fact]
    public async Task Add_AtHighPriorityWhileProcessing_ComesBackAtHighPriority()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);
        queue.Add("b");
        queue.Add("a", WorkPriority.High);

        queue.Done(key);

        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("a");
    }

    [Fact]
    public async Task AddAfter_FiresOnlyWhenTimeHasPassed_EarliestWins()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));

        time.Advance(TimeSpan.FromSeconds(2));
        queue.Length.ShouldBe(0);
        time.Advance(TimeSpan.FromSeconds(1));
        queue.Length.ShouldBe(1);
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("a");
    }

    [Fact]
    public void AddRateLimited_DoublesPerFailureAndForgetResets()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider(), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

        var delays = Enumerable.Range(0, 6).Select(_ => queue.AddRateLimited("a").TotalMilliseconds).ToArray();
        queue.Forget("a");

        delays.ShouldBe([100, 200, 400, 800, 1000, 1000]);
        queue.AddRateLimited("a").ShouldBe(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task RunAsync_NeverProcessesOneKeyConcurrently()
    {
        using var queue = new WorkQueue<int>(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var inFlight = new int[5];
        var overlaps = 0;
        var handled = 0;
        var run = queue.RunAsync(4, async (key, _) =>
        {
            if (Interlocked.Increment(ref inFlight[key]) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Yield();
            Interlocked.Decrement(ref inFlight[key]);
            Interlocked.Increment(ref handled);
            return null;
        }, (_, _) => { }, cts.Token);

        for (var i = 0; i < 2000; i++)
        {
            queue.Add(i % 5);
        }

        await Eventually.WaitUntil(() => queue.Length == 0, Short, "an empty queue");

        await cts.CancelAsync();
        await run.WaitAsync(Short);
        overlaps.ShouldBe(0);
        handled.ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public async Task RunAsync_ThrowingHandler_IsRetriedWithBackoff()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time, TimeSpan.FromSeconds(1));
        using var cts = new CancellationTokenSource();
        var attempts = 0;
        var errors = new List<string>();
        var run = queue.RunAsync(1, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("boom");
        }, (key, e) => { lock (errors) { errors.Add($"{key}: {e.Message}"); } }, cts.Token);

        queue.Add("a");
        await Eventually.WaitUntil(() => Volatile.Read(ref attempts) == 1);
        time.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(50);
        Volatile.Read(ref attempts).ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.WaitUntil(() => Volatile.Read(ref attempts) == 2);

        await cts.CancelAsync();
        await run.WaitAsync(Short);
        lock (errors)
        {
            errors[0].ShouldBe("a: boom");
        }
    }
}
