using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Sluice.Controllers.Metrics;

namespace Sluice.Controllers.Kube;

/// <summary>
/// <see cref="IKubeApi"/> over KubernetesClient: its kubeconfig or in-cluster configuration, TLS and
/// credentials, and its HTTP pipeline; requests and responses stay JSON.
/// </summary>
public sealed class KubeApi(Kubernetes client) : IKubeApi, IOpenApiSource
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static KubeApi FromConfig(KubernetesClientConfiguration config) => new(new Kubernetes(config));

    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync("get", kind.Plural, HttpMethod.Get, kind.ObjectPath(ns, name), null, null, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<JsonObject?> OpenApiV3Async(string apiVersion, CancellationToken cancellationToken)
    {
        var path = apiVersion.Contains('/', StringComparison.Ordinal) ? $"/openapi/v3/apis/{apiVersion}" : $"/openapi/v3/api/{apiVersion}";
        try
        {
            // A non-resource URL every authenticated user may get (system:discovery): no rule of the install grants it.
            return await SendAsync("get", "openapi", HttpMethod.Get, path, null, null, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken) =>
        SendAsync("list", kind.Plural, HttpMethod.Get, kind.CollectionPath(ns) + (labelSelector is null ? "" : "?labelSelector=" + Uri.EscapeDataString(labelSelector)), null, null, cancellationToken);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        SendAsync("create", kind.Plural, HttpMethod.Post, kind.CollectionPath(ns), obj, Json, cancellationToken);

    public Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        SendAsync("update", kind.Plural, HttpMethod.Put, kind.ObjectPath(ns, Name(obj)), obj, Json, cancellationToken);

    public Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        SendAsync("update", kind.Plural + "/status", HttpMethod.Put, kind.ObjectPath(ns, Name(obj), "status"), obj, Json, cancellationToken);

    public Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken) =>
        SendAsync("patch", subresource is null ? kind.Plural : $"{kind.Plural}/{subresource}", HttpMethod.Patch, kind.ObjectPath(ns, name, subresource), patch, new MediaTypeHeaderValue("application/merge-patch+json"), cancellationToken);

    public async Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken)
    {
        try
        {
            var body = propagationPolicy is null ? null : new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = propagationPolicy };
            await SendAsync("delete", kind.Plural, HttpMethod.Delete, kind.ObjectPath(ns, name), body, body is null ? null : Json, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"{kind.CollectionPath(ns)}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds=300";
        using var request = await RequestAsync(HttpMethod.Get, path, null, null, cancellationToken);
        using var response = await TimedAsync("watch", kind.Plural, request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var node = JsonNode.Parse(line)?.AsObject();
            var type = node?["type"]?.GetValue<string>();
            if (node?["object"] is not JsonObject obj || type is null)
            {
                continue;
            }

            if (type == "ERROR")
            {
                throw StatusError(obj);
            }

            yield return new KubeWatchEvent(type, obj);
        }
    }

    private async Task<JsonObject> SendAsync(string verb, string resource, HttpMethod method, string path, JsonObject? body, MediaTypeHeaderValue? contentType, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(method, path, body, contentType, cancellationToken);
        using var response = await TimedAsync(verb, resource, request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)?.AsObject() ?? new JsonObject();
    }

    /// <summary>Sends the request and counts it (<see cref="SluiceMetrics.ApiRequested"/>) by its Kubernetes verb, resource and answer.</summary>
    private async Task<HttpResponseMessage> TimedAsync(string verb, string resource, HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var code = 0;
        try
        {
            var response = await client.HttpClient.SendAsync(request, completion, cancellationToken);
            code = (int)response.StatusCode;
            return response;
        }
        finally
        {
            SluiceMetrics.ApiRequested(verb, resource, code, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, JsonObject? body, MediaTypeHeaderValue? contentType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = contentType;
        }

        if (client.Credentials is not null)
        {
            await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        return request;
    }

    private static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text) is JsonObject status && status["kind"]?.GetValue<string>() == "Status")
            {
                return StatusError(status, response.StatusCode);
            }
        }
        catch (JsonException)
        {
            // not a Status: fall through with the raw text
        }

        return new KubeApiException(response.StatusCode, response.ReasonPhrase ?? "Error", text.Length > 500 ? text[..500] : text);
    }

    private static KubeApiException StatusError(JsonObject status, HttpStatusCode? fallback = null)
    {
        var code = status["code"]?.GetValue<int>() is { } c ? (HttpStatusCode)c : fallback ?? HttpStatusCode.InternalServerError;
        return new KubeApiException(code, status["reason"]?.GetValue<string>() ?? code.ToString(), status["message"]?.GetValue<string>() ?? "");
    }

    private static string Name(JsonObject obj) =>
        obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("the object has no metadata.name", nameof(obj));
}
