using System.Text.Json.Nodes;
using Sluice.ControlPlane.Yaml;

namespace Sluice.ControlPlane;

/// <summary>YAML manifests embedded in this assembly at build time (deploy/crds, deploy/definitions, deploy/metrics), so the binary is self-contained.</summary>
internal static class EmbeddedManifests
{
    /// <summary>Every document of the resources whose logical name starts with <paramref name="prefix"/> ("crds/"), in name order.</summary>
    public static List<JsonObject> Load(string prefix)
    {
        var assembly = typeof(EmbeddedManifests).Assembly;
        var result = new List<JsonObject>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            result.AddRange(YamlText.ParseAll(reader.ReadToEnd()).OfType<JsonObject>().Select(o => JsonNode.Parse(o.ToJsonString())!.AsObject()));
        }

        return result;
    }
}
