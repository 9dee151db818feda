using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// How routers mark what they steer, as workloads are marked: which rollout holds the object
/// (<see cref="WorkloadMarks.ControlledBy"/>), what the rollout found on it the first time it changed it (<see cref="Original"/>,
/// put back exactly on reset), what it last asked of it (<see cref="Applied"/>), and which objects it created
/// (<see cref="CreatedBy"/>, deleted on reset; also owned by the rollout, so they go with it as a last resort).
/// </summary>
public static class TrafficMarks
{
    /// <summary>JSON of the fields the rollout changes, as it first found them (absent fields as null).</summary>
    public const string Original = "rollout.sluice.dev/traffic-original";

    /// <summary>JSON of the last <see cref="RouteTraffic"/> applied (weight, matches, mirror), to report its matches back.</summary>
    public const string Applied = "rollout.sluice.dev/traffic-applied";

    /// <summary>"namespace/name/uid" of the rollout that created the object.</summary>
    public const string CreatedBy = "rollout.sluice.dev/created-by";

    public static string Holder(TrafficTarget target) => WorkloadMarks.Holder(target.RolloutNamespace, target.RolloutName, target.RolloutUid);

    public static bool HeldBy(JsonNode? obj, TrafficTarget target) => JsonPath.Annotation(obj, WorkloadMarks.ControlledBy) == Holder(target);

    public static bool CreatedByRollout(JsonNode? obj, TrafficTarget target) => JsonPath.Annotation(obj, CreatedBy) == Holder(target);

    /// <summary>The rollout ("namespace/name") that holds or created the object when it is another one, or null.</summary>
    public static string? HeldByAnother(JsonNode? obj, TrafficTarget target)
    {
        foreach (var key in (string[])[WorkloadMarks.ControlledBy, CreatedBy])
        {
            if (JsonPath.Annotation(obj, key) is { Length: > 0 } holder && holder != Holder(target))
            {
                return string.Join('/', holder.Split('/').Take(2));
            }
        }

        return null;
    }

    /// <summary>What the rollout recorded on the object, if this rollout holds it.</summary>
    public static JsonObject? RecordedOriginal(JsonNode? obj, TrafficTarget target) =>
        HeldBy(obj, target) && JsonPath.Annotation(obj, Original) is { } text ? JsonNode.Parse(text) as JsonObject : null;

    /// <summary>
    /// Takes the object over: marks it as the rollout's and, the first time only, records <paramref name="fields"/> (read by
    /// <paramref name="read"/> from the object as found) so that a restarted controller never mistakes its own change for the original.
    /// </summary>
    public static JsonObject Hold(JsonObject obj, TrafficTarget target, Func<JsonObject, JsonObject> read)
    {
        if (RecordedOriginal(obj, target) is { } recorded)
        {
            return recorded;
        }

        var original = read(obj);
        WorkloadMarks.SetMapEntry(obj, "metadata.annotations", Original, original.ToJsonString());
        WorkloadMarks.SetMapEntry(obj, "metadata.annotations", WorkloadMarks.ControlledBy, Holder(target));
        return original;
    }

    /// <summary>Gives the object back: no marks left (and no empty annotation map where there was none).</summary>
    public static void Release(JsonObject obj)
    {
        foreach (var key in (string[])[Original, Applied, WorkloadMarks.ControlledBy])
        {
            WorkloadMarks.SetMapEntry(obj, "metadata.annotations", key, null);
        }

        DropEmptyAnnotations(obj);
    }

    public static void DropEmptyAnnotations(JsonObject obj)
    {
        if (JsonPath.Get(obj, "metadata.annotations") is JsonObject { Count: 0 } && obj["metadata"] is JsonObject metadata)
        {
            metadata.Remove("annotations");
        }
    }

    /// <summary>The owner reference that ties an object the rollout created to it.</summary>
    public static JsonObject OwnerReference(TrafficTarget target) => new()
    {
        ["apiVersion"] = $"{AppRollout.Group}/{AppRollout.Version}",
        ["kind"] = AppRollout.KindName,
        ["name"] = target.RolloutName,
        ["uid"] = target.RolloutUid,
        ["controller"] = true,
    };

    /// <summary>Marks a new object as created by the rollout and owned by it.</summary>
    public static void Created(JsonObject obj, TrafficTarget target)
    {
        WorkloadMarks.SetMapEntry(obj, "metadata.annotations", CreatedBy, Holder(target));
        JsonPath.Set(obj, "metadata.ownerReferences", new JsonArray(OwnerReference(target)));
    }

    /// <summary>Records the route state last applied.</summary>
    public static void SetApplied(JsonObject obj, RouteTraffic intent) =>
        WorkloadMarks.SetMapEntry(obj, "metadata.annotations", Applied, SluiceJson.Serialize(new AppliedTraffic(intent.Weight, intent.Matches, intent.Mirror)));

    /// <summary>The route state last applied, if recorded.</summary>
    public static RouteTraffic? ReadApplied(JsonNode? obj)
    {
        if (JsonPath.Annotation(obj, Applied) is not { } text)
        {
            return null;
        }

        try
        {
            var applied = SluiceJson.Deserialize<AppliedTraffic>(JsonNode.Parse(text)!);
            return new RouteTraffic(applied.Weight, applied.Matches ?? [], applied.Mirror);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed record AppliedTraffic(int Weight, IReadOnlyList<TrafficMatch>? Matches, int Mirror);
}
