using System.Net;
using System.Text;

namespace Sluice.Controllers.Tests.Analysis;

/// <summary>An HTTP server in a handler: answers each request with what the test says, and records the requests.</summary>
internal sealed class StubHttp(Func<HttpRequestMessage, string, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Url, string Body, string? Authorization)> Requests { get; } = [];

    public Exception? Fail { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!, body, request.Headers.Authorization?.ToString()));
        }

        if (Fail is { } failure)
        {
            throw failure;
        }

        var (status, text) = answer(request, body);
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
    }

    public static string Vector(params double[] values)
    {
        var series = string.Join(",", values.Select((v, i) => "{\"metric\":{\"i\":\"" + i + "\"},\"value\":[1700000000,\"" + Format(v) + "\"]}"));
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
    }

    public static string Matrix(params double[] values)
    {
        var points = string.Join(",", values.Select((v, i) => "[" + (1700000000 + i) + ",\"" + Format(v) + "\"]"));
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[" + points + "]}]}}";
    }

    private static string Format(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
