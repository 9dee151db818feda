using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.ControlPlane.Patching;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>): the applied configuration is merged into the live object
/// (keyed lists merge for built-in kinds, lists replace for custom resources), and <see cref="ManagedFields"/> decides
/// ownership: conflicts with other managers (409 unless forced), the manager's Apply entry, and the removal of fields
/// it stopped applying that nobody else owns.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject? live, JsonObject applied, bool builtIn, string manager, string time, bool force)
    {
        var merged = live is null
            ? applied.DeepClone().AsObject()
            : builtIn
                ? StrategicMergePatch.Apply(live, applied)
                : (JsonObject)MergePatch.Apply(live, applied)!;
        if (merged["metadata"] is not JsonObject)
        {
            merged["metadata"] = new JsonObject();
        }
        var apiVersion = applied["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        ManagedFields.RecordApply(live, applied, merged, manager, apiVersion, time, force);
        return merged;
    }
}
