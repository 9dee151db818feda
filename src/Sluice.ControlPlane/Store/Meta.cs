using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Store;

/// <summary>Small accessors for an object's <c>metadata</c>.</summary>
internal static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string Str(JsonObject obj, string field) =>
        obj["metadata"]?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static string Name(JsonObject obj) => Str(obj, "name");

    public static string Namespace(JsonObject obj) => Str(obj, "namespace");

    public static string Uid(JsonObject obj) => Str(obj, "uid");

    public static List<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray ?? [])
            .Select(f => f is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Where(s => s.Length > 0).ToList();

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        if (list.Count == 0)
        {
            Of(obj).Remove("finalizers");
        }
        else
        {
            Of(obj)["finalizers"] = new JsonArray(list.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        }
    }

    public static IEnumerable<JsonObject> OwnerReferences(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>();

    public static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static long ParseResourceVersion(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : -1;
}
