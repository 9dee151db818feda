using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.Dashboard.Diff;

/// <summary>
/// What a revision's diff compares: its spec (the application and every rendered workload) as YAML, Secret values
/// hidden (<see cref="SecretRedactor"/>) and kubectl's last-applied-configuration annotation left out (a JSON copy of
/// the application that would show every change twice, on one long line).
/// </summary>
internal static class RevisionText
{
    public const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    public static string Of(JsonObject revision)
    {
        var spec = SecretRedactor.Redact(revision["spec"]);
        DropLastApplied(spec);
        return YamlJson.ToYaml(spec);
    }

    private static void DropLastApplied(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["annotations"] is JsonObject annotations)
                {
                    annotations.Remove(LastApplied);
                }

                foreach (var (_, value) in obj)
                {
                    DropLastApplied(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropLastApplied(item);
                }

                break;
        }
    }
}
