using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Controllers.Workloads;

/// <summary>Reading and writing nested fields of untyped Kubernetes objects by dotted path.</summary>
internal static class JsonPath
{
    public static JsonNode? Get(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node;
    }

    public static int Int(JsonNode? node, string path, int fallback = 0) =>
        Number(Get(node, path)) is { } number ? (int)Math.Clamp(number, int.MinValue, int.MaxValue) : fallback;

    /// <summary>
    /// A JSON number whatever backs it: parsed JSON holds a JsonElement, an in-memory node an int or a long,
    /// and GetValue&lt;long&gt; refuses an int. Reading the number's text works for all.
    /// </summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    public static int? IntOrNull(JsonNode? node, string path) =>
        Get(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? Int(node, path) : null;

    public static string? String(JsonNode? node, string path) =>
        Get(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long Long(JsonNode? node, string path) => (long)(Number(Get(node, path)) ?? 0);

    /// <summary>Sets a field, creating the objects on the way.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }

            current = next;
        }

        current[parts[^1]] = value;
    }

    /// <summary>A replica count written as an int or a percent of <paramref name="total"/> (Kruise's partition, maxUnavailable).</summary>
    public static int IntOrPercent(JsonNode? node, string path, int total, int fallback = 0)
    {
        var value = Get(node, path);
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return Int(node, path);
        }

        if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String)
        {
            var text = s.GetValue<string>();
            if (text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            {
                return (int)Math.Ceiling(percent * total / 100.0);
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
            {
                return plain;
            }
        }

        return fallback;
    }

    public static string? Annotation(JsonNode? obj, string key) => Get(obj, "metadata.annotations") is JsonObject a ? a[key]?.GetValue<string>() : null;

    /// <summary>The object's status reflects its latest spec.</summary>
    public static bool Settled(JsonNode? obj) =>
        obj is null || (Get(obj, "status.observedGeneration") is not null && Long(obj, "status.observedGeneration") >= Long(obj, "metadata.generation"));
}
