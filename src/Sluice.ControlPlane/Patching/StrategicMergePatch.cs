using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) for the built-in kinds, as
/// kubectl sends it: lists of containers, env, ports, volumes (and the other keyed lists of the core
/// API) merge element-wise by their merge key; finalizers merge as a set; other lists replace.
/// Directives: <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and <c>$setElementOrder/&lt;field&gt;</c>.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["addresses"] = "type",
    };

    private static readonly HashSet<string> SetLists = ["finalizers"];

    public static JsonObject Apply(JsonObject target, JsonObject patch) =>
        MergeMap(target.DeepClone().AsObject(), patch) ?? new JsonObject();

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/>; null means "delete this map".</summary>
    private static JsonObject? MergeMap(JsonObject original, JsonObject patch)
    {
        if (patch["$patch"] is JsonValue directive)
        {
            switch (directive.GetValue<string>())
            {
                case "delete":
                    return null;
                case "replace":
                    return (JsonObject?)Strip(patch);
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key == "$patch" || key == "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (original[field] is JsonArray list && value is JsonArray remove)
                {
                    var kept = list.Where(item => !remove.Any(r => JsonNode.DeepEquals(r, item))).Select(i => i?.DeepClone()).ToArray();
                    original[field] = new JsonArray(kept);
                }
                continue;
            }
            if (value is null)
            {
                original.Remove(key);
                continue;
            }
            switch (value)
            {
                case JsonObject childPatch when original[key] is JsonObject child:
                    var merged = MergeMap(child.DeepClone().AsObject(), childPatch);
                    if (merged is null)
                    {
                        original.Remove(key);
                    }
                    else
                    {
                        original[key] = merged;
                    }
                    break;
                case JsonObject childPatch:
                    if (MergeMap(new JsonObject(), childPatch) is { } created)
                    {
                        original[key] = created;
                    }
                    break;
                case JsonArray listPatch when original[key] is JsonArray list:
                    original[key] = MergeList(key, list, listPatch);
                    break;
                default:
                    original[key] = Strip(value);
                    break;
            }
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(r => r?.GetValue<string>()).ToHashSet();
            foreach (var key in original.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }
        return original;
    }

    private static JsonArray MergeList(string field, JsonArray original, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(p => p["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.OfType<JsonObject>().Where(p => p["$patch"] is null).Select(p => (JsonNode?)Strip(p)).ToArray());
        }
        if (SetLists.Contains(field))
        {
            var union = original.Select(i => i?.DeepClone()).ToList();
            foreach (var item in patch)
            {
                if (!union.Any(u => JsonNode.DeepEquals(u, item)))
                {
                    union.Add(item?.DeepClone());
                }
            }
            return new JsonArray(union.ToArray());
        }
        var key = MergeKey(field, patch);
        if (key is null)
        {
            return (JsonArray)Strip(patch)!;
        }
        var result = original.Select(i => i?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var id = item[key];
            var at = result.FindIndex(r => r is JsonObject o && JsonNode.DeepEquals(o[key], id));
            if (item["$patch"]?.GetValue<string>() == "delete")
            {
                if (at >= 0)
                {
                    result.RemoveAt(at);
                }
                continue;
            }
            if (at >= 0)
            {
                result[at] = MergeMap(result[at]!.AsObject(), item);
            }
            else
            {
                result.Add(Strip(item));
            }
        }
        return new JsonArray(result.Where(r => r is not null).ToArray());
    }

    private static string? MergeKey(string field, JsonArray patch)
    {
        if (field == "ports")
        {
            return patch.OfType<JsonObject>().Any(p => p.ContainsKey("containerPort")) ? "containerPort" : "port";
        }
        return MergeKeys.TryGetValue(field, out var key) && patch.All(p => p is JsonObject) ? key : null;
    }

    /// <summary>A copy without patch directives.</summary>
    private static JsonNode? Strip(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o
            .Where(kv => !kv.Key.StartsWith('$'))
            .Select(kv => KeyValuePair.Create(kv.Key, Strip(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Strip).ToArray()),
        _ => node?.DeepClone(),
    };
}
