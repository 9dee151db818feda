using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.ControlPlane.Patching;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>), simplified: the applied configuration
/// is merged into the live object (keyed lists merge for built-in kinds, lists replace for custom
/// resources) and the manager's <c>Apply</c> entry in <c>managedFields</c> records the fields it set.
/// Conflicts between managers are not detected (every apply behaves as <c>force=true</c>), and
/// fields a manager stops applying are not removed.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject? live, JsonObject applied, bool builtIn, string manager, string time)
    {
        var merged = live is null
            ? applied.DeepClone().AsObject()
            : builtIn
                ? StrategicMergePatch.Apply(live, applied)
                : (JsonObject)MergePatch.Apply(live, applied)!;
        var metadata = merged["metadata"] as JsonObject ?? [];
        merged["metadata"] = metadata;
        var entries = (metadata["managedFields"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(e => !(e["manager"]?.GetValue<string>() == manager && e["operation"]?.GetValue<string>() == "Apply"))
            .Select(e => (JsonNode?)e.DeepClone())
            .ToList();
        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = applied["apiVersion"]?.DeepClone(),
            ["time"] = time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = Fields(applied, top: true),
        });
        metadata["managedFields"] = new JsonArray(entries.ToArray());
        return merged;
    }

    /// <summary>The FieldsV1 set of an applied object: <c>f:</c> for fields, <c>k:</c> for keyed list items.</summary>
    private static JsonObject Fields(JsonObject obj, bool top)
    {
        var set = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (top && key is "apiVersion" or "kind")
            {
                continue;
            }
            if (top && key == "metadata" && value is JsonObject meta)
            {
                var kept = new JsonObject();
                foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                {
                    if (meta[field] is { } v)
                    {
                        kept[field] = v.DeepClone();
                    }
                }
                if (kept.Count > 0)
                {
                    set["f:metadata"] = Fields(kept, top: false);
                }
                continue;
            }
            set["f:" + key] = value switch
            {
                JsonObject child => Fields(child, top: false),
                JsonArray list when list.All(i => i is JsonObject o && o["name"] is not null) => KeyedItems(list),
                _ => new JsonObject(),
            };
        }
        return set;
    }

    private static JsonObject KeyedItems(JsonArray list)
    {
        var items = new JsonObject();
        foreach (var item in list.OfType<JsonObject>())
        {
            var key = "k:" + JsonSerializer.Serialize(new Dictionary<string, string?> { ["name"] = item["name"]?.ToString() });
            var fields = Fields(item, top: false);
            fields["."] = new JsonObject();
            items[key] = fields;
        }
        return items;
    }
}
