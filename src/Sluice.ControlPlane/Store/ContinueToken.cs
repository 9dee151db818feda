using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// The <c>continue</c> token of a chunked list, in kube-apiserver's shape: base64url of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"KEY"}</c>, where N is the resourceVersion the whole list is consistent at
/// and KEY the last object returned (<c>namespace/name</c>); the next chunk starts after it.
/// </summary>
internal static class ContinueToken
{
    private const string Version = "meta.k8s.io/v1";

    public static string Encode(long resourceVersion, string ns, string name) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["v"] = Version,
            ["rv"] = resourceVersion,
            ["start"] = $"{ns}/{name}",
        }.ToJsonString()));

    public static (long ResourceVersion, string Ns, string Name) Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(token)) as JsonObject;
            var start = json?["start"]?.GetValue<string>() ?? "";
            var slash = start.IndexOf('/', StringComparison.Ordinal);
            if (json?["v"]?.GetValue<string>() != Version || json["rv"]?.GetValue<long>() is not { } rv || rv <= 0 || slash < 0)
            {
                throw new FormatException("not a continue token of this server");
            }
            return (rv, start[..slash], start[(slash + 1)..]);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw Errors.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
