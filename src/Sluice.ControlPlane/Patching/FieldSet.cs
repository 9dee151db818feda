using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Patching;

/// <summary>
/// The fields an object sets, as server-side apply tracks them in <c>managedFields</c> (FieldsV1): a set of leaf paths,
/// each a list of steps, <c>f:name</c> for a field and <c>k:{"name":"x"}</c> for an item of a list keyed by name (with
/// <c>.</c> for the item itself); other lists, scalars and empty objects are leaves. At the top only spec-like fields
/// count, and of metadata only labels, annotations, finalizers and ownerReferences (never apiVersion, kind, status).
/// </summary>
internal sealed class FieldSet
{
    private const char Separator = '\n';
    private readonly HashSet<string> _paths;

    private FieldSet(HashSet<string> paths) => _paths = paths;

    public static FieldSet Empty => new([]);

    public static FieldSet FromPaths(IEnumerable<string> paths) => new(new HashSet<string>(paths, StringComparer.Ordinal));

    public IReadOnlyCollection<string> Paths => _paths;

    public int Count => _paths.Count;

    public bool Contains(string path) => _paths.Contains(path);

    /// <summary>The fields <paramref name="obj"/> sets.</summary>
    public static FieldSet Of(JsonObject obj)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }
            if (key == "metadata")
            {
                foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                {
                    if (value?[field] is { } v)
                    {
                        Walk(v, $"f:metadata{Separator}f:{field}", paths);
                    }
                }
                continue;
            }
            Walk(value, "f:" + key, paths);
        }
        return new FieldSet(paths);
    }

    /// <summary>A set from a <c>managedFields</c> entry's <c>fieldsV1</c>.</summary>
    public static FieldSet FromFieldsV1(JsonNode? fields)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        void Read(JsonObject node, string prefix)
        {
            foreach (var (key, value) in node)
            {
                var path = prefix.Length == 0 ? key : prefix + Separator + key;
                if (value is JsonObject { Count: > 0 } child)
                {
                    Read(child, path);
                }
                else
                {
                    paths.Add(path);
                }
            }
        }
        if (fields is JsonObject root)
        {
            Read(root, "");
        }
        return new FieldSet(paths);
    }

    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in _paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var step in path.Split(Separator))
            {
                if (node[step] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[step] = child;
                }
                node = child;
            }
        }
        return root;
    }

    public FieldSet Union(FieldSet other) => new([.. _paths, .. other._paths]);

    public FieldSet Except(IEnumerable<string> paths)
    {
        var copy = new HashSet<string>(_paths, StringComparer.Ordinal);
        copy.ExceptWith(paths);
        return new FieldSet(copy);
    }

    public IEnumerable<string> Intersect(FieldSet other) => _paths.Where(other._paths.Contains);

    /// <summary>The value at a path in an object (null when absent); an item marker (<c>.</c>) gives the item.</summary>
    public static JsonNode? ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var step in path.Split(Separator))
        {
            if (step == ".")
            {
                return node;
            }
            node = step[0] == 'k' && node is JsonArray list ? FindItem(list, step) : node is JsonObject o ? o[step[2..]] : null;
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Whether two objects agree at a path: the same value, or for an item marker (<c>.</c>) both hold the item.</summary>
    public static bool SameValue(JsonObject a, JsonObject b, string path)
    {
        var x = ValueAt(a, path);
        var y = ValueAt(b, path);
        return path.EndsWith(Separator + ".", StringComparison.Ordinal) ? (x is null) == (y is null) : JsonNode.DeepEquals(x, y);
    }

    /// <summary>Removes the field or item at a path from an object, if there.</summary>
    public static void Remove(JsonObject obj, string path)
    {
        var steps = path.Split(Separator);
        if (steps[^1] == ".")
        {
            steps = steps[..^1];
        }
        JsonNode? node = obj;
        foreach (var step in steps[..^1])
        {
            node = step[0] == 'k' && node is JsonArray list ? FindItem(list, step) : node is JsonObject o ? o[step[2..]] : null;
            if (node is null)
            {
                return;
            }
        }
        var last = steps[^1];
        if (last[0] == 'k' && node is JsonArray items && FindItem(items, last) is { } item)
        {
            items.Remove(item);
        }
        else if (node is JsonObject parent)
        {
            parent.Remove(last[2..]);
        }
    }

    /// <summary>A path as kube-apiserver names it in conflicts: <c>.spec.template.spec.containers[name="web"].image</c>.</summary>
    public static string Display(string path)
    {
        var text = new StringBuilder();
        foreach (var step in path.Split(Separator))
        {
            if (step == ".")
            {
                continue;
            }
            if (step[0] == 'k')
            {
                var key = JsonNode.Parse(step[2..])!.AsObject();
                text.Append('[').Append(string.Join(",", key.Select(kv => $"{kv.Key}={kv.Value!.ToJsonString()}"))).Append(']');
            }
            else
            {
                text.Append('.').Append(step[2..]);
            }
        }
        return text.ToString();
    }

    private static void Walk(JsonNode? node, string prefix, HashSet<string> paths)
    {
        switch (node)
        {
            case JsonObject { Count: > 0 } o:
                foreach (var (key, value) in o)
                {
                    Walk(value, prefix + Separator + "f:" + key, paths);
                }
                break;
            case JsonArray list when list.Count > 0 && list.All(i => i is JsonObject item && item["name"] is JsonValue):
                foreach (var item in list.OfType<JsonObject>())
                {
                    var itemPath = prefix + Separator + ItemKey(item);
                    paths.Add(itemPath + Separator + ".");
                    Walk(item, itemPath, paths);
                }
                break;
            default:
                paths.Add(prefix);
                break;
        }
    }

    private static string ItemKey(JsonObject item) =>
        "k:" + JsonSerializer.Serialize(new Dictionary<string, string?> { ["name"] = item["name"]?.ToString() });

    private static JsonObject? FindItem(JsonArray list, string step) =>
        list.OfType<JsonObject>().FirstOrDefault(item => item["name"] is JsonValue && ItemKey(item) == step);
}
