using System.Text.Json.Nodes;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>What a test reads off a pod.</summary>
public static class PodFacts
{
    public static bool Ready(JsonObject pod) =>
        pod["metadata"]?["deletionTimestamp"] is null
        && (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");

    public static string Image(JsonObject pod) => pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    public static string Uid(JsonObject pod) => pod["metadata"]!["uid"]!.GetValue<string>();

    public static bool OwnedBy(JsonObject pod, string ownerPrefix) =>
        pod["metadata"]?["name"]?.GetValue<string>()?.StartsWith(ownerPrefix, StringComparison.Ordinal) == true;
}
