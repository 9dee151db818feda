using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Resources;

/// <summary>Turns a CustomResourceDefinition object into the resource types it serves (one per served version).</summary>
internal static class CrdReader
{
    public static IReadOnlyList<ResourceType> Read(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = spec?["group"]?.GetValue<string>() ?? "";
        var plural = names?["plural"]?.GetValue<string>() ?? "";
        var kind = names?["kind"]?.GetValue<string>() ?? "";
        var singular = names?["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant();
        var namespaced = (spec?["scope"]?.GetValue<string>() ?? "Namespaced") == "Namespaced";
        var shortNames = Strings(names?["shortNames"]);
        var categories = Strings(names?["categories"]);
        var result = new List<ResourceType>();
        foreach (var version in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }
            var subresources = version["subresources"] as JsonObject;
            ScaleSubresource? scale = null;
            if (subresources?["scale"] is JsonObject s)
            {
                scale = new ScaleSubresource(
                    s["specReplicasPath"]?.GetValue<string>() ?? ".spec.replicas",
                    s["statusReplicasPath"]?.GetValue<string>() ?? ".status.replicas",
                    s["labelSelectorPath"]?.GetValue<string>());
            }
            var columns = (version["additionalPrinterColumns"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(c => new PrinterColumn(
                    c["name"]?.GetValue<string>() ?? "",
                    c["type"]?.GetValue<string>() ?? "string",
                    c["jsonPath"]?.GetValue<string>() ?? "",
                    c["description"]?.GetValue<string>() ?? "",
                    c["priority"]?.GetValue<int>() ?? 0,
                    c["format"]?.GetValue<string>() ?? ""))
                .ToList();
            result.Add(new ResourceType(
                group,
                version["name"]?.GetValue<string>() ?? "",
                plural,
                singular,
                kind,
                namespaced,
                shortNames,
                categories,
                subresources?["status"] is not null,
                scale,
                version["schema"]?["openAPIV3Schema"] as JsonObject,
                columns,
                IsCustom: true));
        }
        return result;
    }

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList();
}
