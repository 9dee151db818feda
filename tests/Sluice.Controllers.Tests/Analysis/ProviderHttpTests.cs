using System.Net;
using Sluice.Controllers.Analysis;

namespace Sluice.Controllers.Tests.Analysis;

public class ProviderHttpTests
{
    [Fact]
    public async Task SendAsync_ManyCallsAtOnce_NeverMoreInFlightThanTheBound()
    {
        var inFlight = 0;
        var most = 0;
        var release = new TaskCompletionSource();
        var handler = new GateHandler(async () =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await release.Task;
            Interlocked.Decrement(ref inFlight);
        });
        using var http = new ProviderHttp(maxConcurrent: 4, handler: handler);

        var calls = Enumerable.Range(0, 50).Select(i => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://x/{i}"), ProviderAuth.None, TimeSpan.FromSeconds(30), CancellationToken.None)).ToList();
        await Eventually(() => inFlight == 4);
        http.InFlight.ShouldBe(4);
        release.SetResult();
        await Task.WhenAll(calls);

        most.ShouldBe(4);
    }

    [Fact]
    public async Task SendAsync_NoAnswerInTime_IsAProviderErrorSayingSo()
    {
        using var http = new ProviderHttp(handler: new GateHandler(() => Task.Delay(Timeout.Infinite)));

        var error = await Should.ThrowAsync<ProviderException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://slow/x?token=secret"), ProviderAuth.None, TimeSpan.FromMilliseconds(100), CancellationToken.None));

        error.Message.ShouldBe("GET http://slow/x: no answer within 0.1s");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().ShouldBeTrue();
    }

    private sealed class GateHandler(Func<Task> wait) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await wait().WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }
}
