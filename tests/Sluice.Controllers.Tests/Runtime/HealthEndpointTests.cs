using System.Net;
using System.Net.Sockets;
using Sluice.Controllers.Metrics;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Tests.Runtime;

public class HealthEndpointTests
{
    [Theory]
    [InlineData("/healthz", "stopped", 200)]
    [InlineData("/livez", "stopped", 200)]
    [InlineData("/readyz", "leading", 200)]
    [InlineData("/readyz", "candidate", 200)]
    [InlineData("/readyz", "stopped", 503)]
    [InlineData("/other", "leading", 404)]
    public void Answer_ByPathAndState(string path, string state, int code) =>
        HealthEndpoint.Answer(path, state).Code.ShouldBe(code);

    [Fact]
    public async Task Get_OverHttp_AnswersWithTheState()
    {
        var state = "candidate";
        await using var endpoint = await HealthEndpoint.StartAsync(IPAddress.Loopback, 0, () => state);
        using var http = new HttpClient();

        var ready = await http.GetAsync(new Uri(endpoint.Url, "readyz?verbose=1"));
        state = "stopped";
        var notReady = await http.GetAsync(new Uri(endpoint.Url, "readyz"));

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("candidate\n");
        notReady.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await http.GetAsync(new Uri(endpoint.Url, "nothing"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Connect_WithGarbage_NeverTakesTheEndpointDown()
    {
        await using var endpoint = await HealthEndpoint.StartAsync(IPAddress.Loopback, 0, () => "leading");
        using (var garbage = new TcpClient())
        {
            await garbage.ConnectAsync(IPAddress.Loopback, endpoint.Url.Port);
            await garbage.GetStream().WriteAsync(new byte[9000]);
        }

        using var http = new HttpClient();
        (await http.GetAsync(new Uri(endpoint.Url, "healthz"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_AfterRecording_ServesThemInPrometheusTextFormat()
    {
        await using var endpoint = await HealthEndpoint.StartAsync(IPAddress.Loopback, 0, () => "leading");
        SluiceMetrics.WebhookCalled("rollingInBatches", "passed");
        SluiceMetrics.Reconciled("approllout", TimeSpan.FromMilliseconds(20), failed: true);
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(endpoint.Url, "metrics"));
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/plain");
        text.ShouldContain("# TYPE sluice_webhook_calls_total counter");
        text.ShouldContain("sluice_webhook_calls_total{");
        text.ShouldContain("outcome=\"passed\"");
        text.ShouldContain("# TYPE sluice_reconcile_duration_seconds histogram");
        text.ShouldContain("sluice_reconcile_errors_total{");
    }

    [Fact]
    public async Task Start_PortTaken_Throws()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await Should.ThrowAsync<IOException>(async () => await HealthEndpoint.StartAsync(IPAddress.Loopback, port, () => "leading"));
    }
}
