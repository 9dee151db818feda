using Microsoft.Extensions.Time.Testing;
using Sluice.Simulator.Runtime;

namespace Sluice.Simulator.Tests.Runtime;

public sealed class WorkQueueTests
{
    private static readonly WorkKey A = new(WorkKind.Pod, "default", "a");
    private static readonly WorkKey B = new(WorkKind.Pod, "default", "b");

    private static async Task<WorkKey?> TryTake(WorkQueue queue)
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        try
        {
            return await queue.TakeAsync(soon.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Add_Twice_IsHandedOutOnce()
    {
        using var queue = new WorkQueue(new FakeTimeProvider());
        queue.Add(A);
        queue.Add(A);
        queue.Add(B);

        (await TryTake(queue)).ShouldBe(A);
        (await TryTake(queue)).ShouldBe(B);
        (await TryTake(queue)).ShouldBeNull();
    }

    [Fact]
    public async Task Add_WhileProcessing_RunsAgainOnlyAfterDone()
    {
        using var queue = new WorkQueue(new FakeTimeProvider());
        queue.Add(A);
        (await TryTake(queue)).ShouldBe(A);

        queue.Add(A);
        (await TryTake(queue)).ShouldBeNull("a key is never worked on twice at once");
        queue.Done(A);

        (await TryTake(queue)).ShouldBe(A);
        queue.Done(A);
        queue.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task AddAt_FutureTime_FiresWhenTimeComes()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue(time);
        queue.AddAt(A, time.GetUtcNow() + TimeSpan.FromSeconds(10));
        queue.AddAt(A, time.GetUtcNow() + TimeSpan.FromSeconds(5));
        queue.AddAt(B, time.GetUtcNow() + TimeSpan.FromSeconds(20));

        (await TryTake(queue)).ShouldBeNull();
        time.Advance(TimeSpan.FromSeconds(5));
        (await TryTake(queue)).ShouldBe(A);
        queue.Done(A);
        time.Advance(TimeSpan.FromSeconds(5));
        (await TryTake(queue)).ShouldBeNull("the earlier wake replaced the later one");
        time.Advance(TimeSpan.FromSeconds(10));
        (await TryTake(queue)).ShouldBe(B);
    }

    [Fact]
    public async Task AddAt_PastTime_AddsAtOnce()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue(time);
        queue.AddAt(A, time.GetUtcNow() - TimeSpan.FromSeconds(1));
        (await TryTake(queue)).ShouldBe(A);
    }
}
