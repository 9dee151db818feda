using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.ControlPlane.Yaml;

/// <summary>
/// The one place the plane parses YAML (server-side apply bodies, <c>application/yaml</c> requests,
/// embedded CRDs): an adapter over <see cref="YamlJson"/> that reports bad input as <see cref="FormatException"/>.
/// </summary>
internal static class YamlText
{
    public static List<JsonNode> ParseAll(string text)
    {
        try
        {
            return [.. YamlJson.ParseAll(text)];
        }
        catch (ManifestException e)
        {
            throw new FormatException($"error converting YAML to JSON: {e.Message}", e);
        }
    }
}
