using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Patching;

/// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>): add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw Errors.BadRequest("json patch: the patch must be a JSON array of operations");
        }
        var doc = document.DeepClone();
        foreach (var op in operations)
        {
            if (op is not JsonObject operation)
            {
                throw Errors.BadRequest("json patch: every operation must be an object");
            }
            var kind = Str(operation["op"]);
            var path = Str(operation["path"]);
            switch (kind)
            {
                case "add":
                    Add(doc, path, Value(operation));
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "replace":
                    Remove(doc, path);
                    Add(doc, path, Value(operation));
                    break;
                case "move":
                    {
                        var from = Str(operation["from"]);
                        var value = Get(doc, from)?.DeepClone();
                        Remove(doc, from);
                        Add(doc, path, value);
                        break;
                    }
                case "copy":
                    Add(doc, path, Get(doc, Str(operation["from"]))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), operation["value"]))
                    {
                        throw new ApiException(new ApiStatus(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed"));
                    }
                    break;
                default:
                    throw Errors.BadRequest($"json patch: unexpected operation \"{kind}\"");
            }
        }
        return doc;
    }

    private static JsonNode? Value(JsonObject operation) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw Errors.BadRequest("json patch: missing value");

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (!pointer.StartsWith('/'))
        {
            throw Errors.BadRequest($"json patch: invalid path \"{pointer}\"");
        }
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0)
        {
            throw Errors.BadRequest("json patch: the root cannot be replaced");
        }
        var parentPointer = string.Concat(tokens.SkipLast(1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        return (Get(doc, parentPointer) ?? throw Missing(pointer), tokens[^1]);
    }

    private static void Add(JsonNode doc, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Missing(pointer);
        }
    }

    private static void Remove(JsonNode doc, string pointer)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Missing(pointer);
        }
    }

    private static ApiException Missing(string pointer) =>
        new(new ApiStatus(422, "Invalid", $"the server rejected our request due to an error in our request: json patch: path \"{pointer}\" does not exist"));
}
