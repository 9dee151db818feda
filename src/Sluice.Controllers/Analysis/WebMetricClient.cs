using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Analysis;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// Any HTTP endpoint answering JSON: a non-2xx status, a body that is not JSON, or a jsonPath that finds nothing is
/// a <see cref="ProviderException"/> (retried), never a failed measurement.
/// </summary>
public sealed class WebMetricClient(ProviderHttp http)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public async Task<JsonNode?> GetAsync(HttpMethod method, Uri url, IReadOnlyDictionary<string, string> headers, string? body, JsonPathSelector? path,
        ProviderAuth auth, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null && method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new StringContent(string.Empty);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var (status, text) = await http.SendAsync(request, auth, timeout, cancellationToken);
        if (status is < 200 or > 299)
        {
            throw new ProviderException($"{method} {ProviderHttp.Redacted(url)}: HTTP {status}: {PrometheusClient.Excerpt(text)}");
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ProviderException($"{method} {ProviderHttp.Redacted(url)}: the answer is not JSON ({e.Message}): {PrometheusClient.Excerpt(text)}");
        }

        if (path is null)
        {
            return document;
        }

        return path.Select(document, out var error) ?? (error is null ? null : throw new ProviderException($"{method} {ProviderHttp.Redacted(url)}: {error}"));
    }
}
