using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>Small, tolerant readers and writers over Kubernetes objects held as <see cref="JsonObject"/>.</summary>
internal static class Json
{
    /// <summary>The node at a path of object keys and array indexes ("0"), or null.</summary>
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var part in path)
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    public static string Str(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static long? Long(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v
            ? v.TryGetValue<long>(out var n) ? n
            : v.TryGetValue<int>(out var i) ? i
            : v.TryGetValue<double>(out var d) ? (long)d
            : null
            : null;

    public static int Int(JsonNode? node, int fallback, params string[] path) =>
        Long(node, path) is { } n ? (int)n : fallback;

    public static bool Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>The object at <paramref name="path"/>, created (with its parents) when missing.</summary>
    public static JsonObject Ensure(JsonObject obj, params string[] path)
    {
        var current = obj;
        foreach (var part in path)
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }
            current = next;
        }
        return current;
    }

    public static string Name(JsonObject o) => Str(o, "metadata", "name");

    public static string Namespace(JsonObject o) => Str(o, "metadata", "namespace");

    public static string Uid(JsonObject o) => Str(o, "metadata", "uid");

    public static string ResourceVersion(JsonObject o) => Str(o, "metadata", "resourceVersion");

    public static long Generation(JsonObject o) => Long(o, "metadata", "generation") ?? 0;

    public static bool Deleting(JsonObject o) => Str(o, "metadata", "deletionTimestamp").Length > 0;

    public static string Label(JsonObject o, string key) => Str(o, "metadata", "labels", key);

    public static string Annotation(JsonObject o, string key) => Str(o, "metadata", "annotations", key);

    public static DateTimeOffset? Time(JsonNode? node, params string[] path) =>
        DateTimeOffset.TryParse(Str(node, path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// RFC 3339 with the fraction of a second (as metav1.MicroTime writes it): for a pod's startTime, which the kubelet
    /// computes its timeline from. Whole seconds would make a pod seen at 12:00:00.7 start at 12:00:00 and become
    /// ready up to a second before its ready delay.
    /// </summary>
    public static string PreciseTimestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The uid of the owner reference marked controller, or "".</summary>
    public static string ControllerUid(JsonObject o) =>
        (At(o, "metadata", "ownerReferences") as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => Bool(r, "controller")).Select(r => Str(r, "uid")).FirstOrDefault() ?? "";

    /// <summary>The owner reference marked controller, as (kind, name, uid), or null.</summary>
    public static (string Kind, string Name, string Uid)? ControllerRef(JsonObject o) =>
        (At(o, "metadata", "ownerReferences") as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => Bool(r, "controller")).Select(r => ((string, string, string)?)(Str(r, "kind"), Str(r, "name"), Str(r, "uid")))
            .FirstOrDefault();

    /// <summary>The apiVersion of the owner reference marked controller, or "".</summary>
    public static string ControllerApiVersion(JsonObject o) =>
        (At(o, "metadata", "ownerReferences") as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => Bool(r, "controller")).Select(r => Str(r, "apiVersion")).FirstOrDefault() ?? "";

    public static JsonObject OwnerReference(string apiVersion, string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>JSON text with object keys sorted, so that equal objects compare and hash equal.</summary>
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }
                    first = false;
                    sb.Append(JsonValue.Create(key).ToJsonString()).Append(':');
                    Write(value, sb);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    Write(a[i], sb);
                }
                sb.Append(']');
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}
