using System.Net;
using Sluice.Controllers.Analysis;

namespace Sluice.Controllers.Tests.Analysis;

public class PrometheusClientTests
{
    private static readonly Uri Address = new("http://prometheus.test:9090/prefix/");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static async Task<string> Query(string answer, HttpStatusCode status = HttpStatusCode.OK)
    {
        var stub = new StubHttp((_, _) => (status, answer));
        using var http = new ProviderHttp(handler: stub);
        var value = await new PrometheusClient(http).QueryAsync(Address, "up", At, ProviderAuth.None, TimeSpan.FromSeconds(5), CancellationToken.None);
        return value?.ToJsonString() ?? "null";
    }

    [Fact]
    public async Task QueryAsync_PostsTheQueryAndTimeToTheApi()
    {
        var stub = new StubHttp((_, _) => (HttpStatusCode.OK, StubHttp.Vector(1)));
        using var http = new ProviderHttp(handler: stub);

        await new PrometheusClient(http).QueryAsync(Address, "sum(rate(x[1m]))", At, new ProviderAuth { BearerToken = "t0k" }, TimeSpan.FromSeconds(5), CancellationToken.None);

        var request = stub.Requests.Single();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Url.ToString().ShouldBe("http://prometheus.test:9090/prefix/api/v1/query");
        request.Body.ShouldBe("query=sum%28rate%28x%5B1m%5D%29%29&time=1700000000");
        request.Authorization.ShouldBe("Bearer t0k");
    }

    [Fact]
    public async Task QueryAsync_OneSeries_IsANumber() => (await Query(StubHttp.Vector(99.5))).ShouldBe("99.5");

    [Fact]
    public async Task QueryAsync_NoSeries_IsAnEmptyList() => (await Query(StubHttp.Vector())).ShouldBe("[]");

    [Fact]
    public async Task QueryAsync_SeveralSeries_IsAList() => (await Query(StubHttp.Vector(1, 2))).ShouldBe("[1,2]");

    [Fact]
    public async Task QueryAsync_Scalar_IsANumber() =>
        (await Query("""{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}""")).ShouldBe("42");

    [Fact]
    public async Task QueryAsync_Matrix_IsTheSeriesValues() => (await Query(StubHttp.Matrix(1, 2, 3))).ShouldBe("[1,2,3]");

    [Fact]
    public async Task QueryAsync_NaN_IsAProviderErrorNotAValue() =>
        (await Should.ThrowAsync<ProviderException>(() => Query(StubHttp.Vector(double.NaN)))).Message.ShouldContain("gave NaN: no data in the window");

    [Fact]
    public async Task QueryAsync_BadQuery_IsAProviderErrorWithPrometheusWords() =>
        (await Should.ThrowAsync<ProviderException>(() => Query("""{"status":"error","errorType":"bad_data","error":"parse error at char 4"}""", HttpStatusCode.BadRequest)))
            .Message.ShouldBe("http://prometheus.test:9090/prefix/api/v1/query: HTTP 400: bad_data: parse error at char 4");

    [Fact]
    public async Task QueryAsync_NotJson_IsAProviderError() =>
        (await Should.ThrowAsync<ProviderException>(() => Query("<html>proxy error</html>", HttpStatusCode.BadGateway))).Message.ShouldContain("HTTP 502, not Prometheus' JSON");

    [Fact]
    public async Task QueryAsync_Unreachable_IsAProviderError()
    {
        var stub = new StubHttp((_, _) => (HttpStatusCode.OK, "")) { Fail = new HttpRequestException("Connection refused") };
        using var http = new ProviderHttp(handler: stub);

        var error = await Should.ThrowAsync<ProviderException>(() => new PrometheusClient(http).QueryAsync(Address, "up", At, ProviderAuth.None, TimeSpan.FromSeconds(5), CancellationToken.None));

        error.Message.ShouldBe("POST http://prometheus.test:9090/prefix/api/v1/query: Connection refused");
    }

    [Fact]
    public async Task SamplesAsync_RangeQuery_GivesEveryFiniteSample()
    {
        var stub = new StubHttp((_, _) => (HttpStatusCode.OK, StubHttp.Matrix(1, double.NaN, 3)));
        using var http = new ProviderHttp(handler: stub);

        var samples = await new PrometheusClient(http).SamplesAsync(Address, "x", At.AddMinutes(-1), At, TimeSpan.FromSeconds(15), ProviderAuth.None, TimeSpan.FromSeconds(5), CancellationToken.None);

        samples.ShouldBe([1.0, 3.0]);
        stub.Requests.Single().Body.ShouldBe("query=x&start=1699999940&end=1700000000&step=15");
    }
}
