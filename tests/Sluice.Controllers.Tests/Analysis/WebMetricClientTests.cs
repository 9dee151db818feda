using System.Net;
using Sluice.Controllers.Analysis;
using Sluice.Core.Analysis;

namespace Sluice.Controllers.Tests.Analysis;

public class WebMetricClientTests
{
    private static JsonPathSelector Path(string path) => JsonPathSelector.Parse(path, out _)!;

    [Fact]
    public async Task GetAsync_PostsTheBodyAndHeaders_AndPicksTheValue()
    {
        var stub = new StubHttp((_, _) => (HttpStatusCode.OK, """{"data":{"rate":0.5}}"""));
        using var http = new ProviderHttp(handler: stub);

        var value = await new WebMetricClient(http).GetAsync(HttpMethod.Post, new Uri("http://stats.test/q"), new Dictionary<string, string> { ["X-Team"] = "shop" }, """{"q":1}""",
            Path("$.data.rate"), new ProviderAuth { Username = "u", Password = "p" }, TimeSpan.FromSeconds(5), CancellationToken.None);

        value!.GetValue<double>().ShouldBe(0.5);
        var request = stub.Requests.Single();
        (request.Method, request.Body).ShouldBe((HttpMethod.Post, """{"q":1}"""));
        request.Authorization.ShouldStartWith("Basic ");
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "down", "GET http://stats.test/q: HTTP 503: down")]
    [InlineData(HttpStatusCode.OK, "<html>", "GET http://stats.test/q: the answer is not JSON")]
    [InlineData(HttpStatusCode.OK, """{"data":{}}""", "GET http://stats.test/q: $.data.rate: \"rate\" not found")]
    public async Task GetAsync_NoValue_IsAProviderError(HttpStatusCode status, string body, string expected)
    {
        using var http = new ProviderHttp(handler: new StubHttp((_, _) => (status, body)));

        var error = await Should.ThrowAsync<ProviderException>(() => new WebMetricClient(http).GetAsync(HttpMethod.Get, new Uri("http://stats.test/q"),
            new Dictionary<string, string>(), null, Path("$.data.rate"), ProviderAuth.None, TimeSpan.FromSeconds(5), CancellationToken.None));

        error.Message.ShouldStartWith(expected);
    }
}
