using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Protobuf;
using Sluice.ControlPlane.Yaml;

namespace Sluice.ControlPlane.Http;

/// <summary>Reads a request body (size-limited by Kestrel) as JSON, or YAML or Kubernetes protobuf where the content type says so.</summary>
internal static class RequestBody
{
    public static string MediaType(HttpRequest request) =>
        (request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancel).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A body as JSON: parsed from JSON or YAML, or decoded from Kubernetes' protobuf form (see <see cref="ProtobufBody"/>).</summary>
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancel).ConfigureAwait(false);
        var mediaType = MediaType(request);
        if (mediaType == ProtobufBody.MediaType)
        {
            return buffer.Length == 0 ? null : ProtobufBody.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        return Parse(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), mediaType);
    }

    public static JsonNode? Parse(string text, string mediaType)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (mediaType.Contains("yaml", StringComparison.Ordinal))
        {
            try
            {
                var documents = YamlText.ParseAll(text);
                return documents.Count switch
                {
                    0 => null,
                    1 => documents[0],
                    _ => throw Errors.BadRequest("the request body holds more than one YAML document"),
                };
            }
            catch (FormatException e)
            {
                throw Errors.BadRequest(e.Message);
            }
        }
        if (mediaType.Contains("protobuf", StringComparison.Ordinal))
        {
            throw Errors.UnsupportedMediaType(mediaType);
        }
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw Errors.BadRequest($"json parse error: {e.Message}");
        }
    }

    public static JsonObject RequireObject(JsonNode? body, string what) =>
        body as JsonObject ?? throw Errors.BadRequest($"the request body must be a JSON object ({what})");
}
