using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Runtime;

public class LeaseElectorTests
{
    private static LeaseElector Candidate(FakeKubeApi api, string identity, TimeProvider time) =>
        new(api, "sluice-system", "sluice-controller", identity, time, NullLogger.Instance, TimeSpan.FromSeconds(15));

    [Fact]
    public async Task AcquireAsync_FreeLease_WinsAndRecordsTheHolder()
    {
        var api = new FakeKubeApi();

        await Candidate(api, "a", new FakeTimeProvider()).AcquireAsync(CancellationToken.None);

        api.Peek(ResourceKind.Lease, "sluice-system", "sluice-controller")!["spec"]!["holderIdentity"]!.GetValue<string>().ShouldBe("a");
    }

    [Fact]
    public async Task AcquireAsync_HeldLease_WaitsUntilItExpires()
    {
        var api = new FakeKubeApi();
        var time = new FakeTimeProvider();
        await Candidate(api, "a", time).AcquireAsync(CancellationToken.None);

        var b = Candidate(api, "b", time).AcquireAsync(CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(20);
        }

        b.IsCompleted.ShouldBeFalse("the lease is still valid");
        for (var i = 0; i < 3 && !b.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(3));
            await Eventually.WaitUntil(() => true);
            await Task.Delay(20);
        }

        await b.WaitAsync(TimeSpan.FromSeconds(5));
        var spec = api.Peek(ResourceKind.Lease, "sluice-system", "sluice-controller")!["spec"]!;
        spec["holderIdentity"]!.GetValue<string>().ShouldBe("b");
        spec["leaseTransitions"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task ReleaseAsync_LetsTheNextCandidateInAtOnce()
    {
        var api = new FakeKubeApi();
        var time = new FakeTimeProvider();
        var a = Candidate(api, "a", time);
        await a.AcquireAsync(CancellationToken.None);

        await a.ReleaseAsync(CancellationToken.None);

        await Candidate(api, "b", time).AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HoldAsync_AnotherHolderTookOver_Returns()
    {
        var api = new FakeKubeApi();
        var time = new FakeTimeProvider();
        var a = Candidate(api, "a", time);
        await a.AcquireAsync(CancellationToken.None);
        var lease = api.Peek(ResourceKind.Lease, "sluice-system", "sluice-controller")!;
        lease["spec"]!["holderIdentity"] = "intruder";
        api.Put(ResourceKind.Lease, lease);

        var hold = a.HoldAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        await hold.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
