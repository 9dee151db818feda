using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// Prometheus' HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>, form-encoded POSTs). An instant query's
/// value for a condition: a scalar or a one-series vector is a number, an empty vector an empty list, several series
/// a list of numbers; a range query's is the list of one series' values (a list of lists for several). NaN or an
/// infinity (a rate over no requests) is a <see cref="ProviderException"/>: no data yet, retried, never a failure.
/// </summary>
public sealed class PrometheusClient(ProviderHttp http)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The value of <paramref name="query"/> at <paramref name="at"/>.</summary>
    public async Task<JsonNode?> QueryAsync(Uri address, string query, DateTimeOffset at, ProviderAuth auth, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var data = await CallAsync(address, "query", [new("query", query), new("time", Unix(at))], auth, timeout, cancellationToken);
        var resultType = data["resultType"]?.GetValue<string>();
        var result = data["result"];
        return resultType switch
        {
            "scalar" => Number(result, query),
            "string" => JsonValue.Create(result?[1]?.GetValue<string>()),
            "vector" => result is JsonArray { Count: 1 } one ? Number(one[0]?["value"], query) : new JsonArray(((JsonArray?)result ?? []).Select(s => Number(s?["value"], query)).ToArray()),
            "matrix" => Series(result, query),
            _ => throw new ProviderException($"query {query}: unknown resultType \"{resultType}\""),
        };
    }

    /// <summary>Every sample of <paramref name="query"/> from <paramref name="start"/> to <paramref name="end"/> at <paramref name="step"/>, all series together.</summary>
    public async Task<IReadOnlyList<double>> SamplesAsync(Uri address, string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, ProviderAuth auth, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var data = await CallAsync(address, "query_range",
            [new("query", query), new("start", Unix(start)), new("end", Unix(end)), new("step", step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture))],
            auth, timeout, cancellationToken);
        var samples = new List<double>();
        foreach (var series in data["result"] as JsonArray ?? [])
        {
            foreach (var point in series?["values"] as JsonArray ?? [])
            {
                if (double.TryParse(point?[1]?.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                {
                    samples.Add(value);
                }
            }
        }

        return samples;
    }

    /// <summary>Range query: <c>rate(x[1m])</c> over 5 minutes at 15 s is 21 samples; NaN points (no requests then) are left out.</summary>
    private static JsonNode Series(JsonNode? result, string query)
    {
        var series = ((JsonArray?)result ?? []).Select(s => (JsonNode)new JsonArray(((JsonArray?)s?["values"] ?? []).Select(v => Number(v, query)).ToArray())).ToArray();
        return series.Length == 1 ? series[0].DeepClone() : new JsonArray(series.Select(s => s.DeepClone()).ToArray());
    }

    private static JsonNode Number(JsonNode? pair, string query)
    {
        var text = pair?[1]?.GetValue<string>();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new ProviderException($"query {query}: unreadable value \"{text}\"");
        }

        if (!double.IsFinite(value))
        {
            throw new ProviderException($"query {query} gave {text}: no data in the window (no requests yet?)");
        }

        return JsonValue.Create(value);
    }

    private static string Unix(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private async Task<JsonNode> CallAsync(Uri address, string endpoint, KeyValuePair<string, string>[] form, ProviderAuth auth, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = new Uri($"{address.ToString().TrimEnd('/')}/api/v1/{endpoint}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        var (status, body) = await http.SendAsync(request, auth, timeout, cancellationToken);
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new ProviderException($"{ProviderHttp.Redacted(url)}: HTTP {status}, not Prometheus' JSON: {Excerpt(body)}");
        }

        if (answer?["status"]?.GetValue<string>() != "success")
        {
            var error = answer?["error"]?.GetValue<string>() ?? Excerpt(body);
            throw new ProviderException($"{ProviderHttp.Redacted(url)}: HTTP {status}: {answer?["errorType"]?.GetValue<string>() ?? "error"}: {error}");
        }

        return answer["data"] ?? throw new ProviderException($"{ProviderHttp.Redacted(url)}: an answer without data");
    }

    internal static string Excerpt(string body) => body.Length <= 200 ? body.Trim() : body[..200].Trim() + "...";
}
