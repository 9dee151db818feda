using System.Text.Json.Nodes;

namespace Sluice.Manifests;

/// <summary>JSON merge patch (RFC 7386): objects merge key by key, null removes, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        return result;
    }

    /// <summary>The smallest merge patch turning <paramref name="from"/> into <paramref name="to"/> (null when equal).</summary>
    public static JsonObject? Diff(JsonObject from, JsonObject to)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in to)
        {
            var before = from[key];
            if (JsonNode.DeepEquals(before, value))
            {
                continue;
            }

            patch[key] = before is JsonObject b && value is JsonObject a ? Diff(b, a) : value?.DeepClone();
        }

        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch.Count == 0 ? null : patch;
    }
}
