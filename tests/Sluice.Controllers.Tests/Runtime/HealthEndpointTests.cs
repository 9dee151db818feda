using System.Net;
using System.Net.Sockets;
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
    public async Task Get_OverHttp_AnswersWithTheStateAndCloses()
    {
        var state = "candidate";
        using var endpoint = new HealthEndpoint(0, () => state);
        using var http = new HttpClient();

        var ready = await http.GetAsync(new Uri(endpoint.Url, "readyz?verbose=1"));
        state = "stopped";
        var notReady = await http.GetAsync(new Uri(endpoint.Url, "readyz"));

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("candidate\n");
        notReady.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Connect_WhileStartingOrWithGarbage_NeverTakesTheEndpointDown()
    {
        using var endpoint = new HealthEndpoint(0, () => "leading");
        using (var garbage = new TcpClient())
        {
            await garbage.ConnectAsync(IPAddress.Loopback, endpoint.Url.Port);
            await garbage.GetStream().WriteAsync(new byte[9000]);
        }

        using var http = new HttpClient();
        (await http.GetAsync(new Uri(endpoint.Url, "healthz"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
