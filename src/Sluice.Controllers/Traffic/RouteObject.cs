using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// What the HTTPRoute and VirtualService routers share: one list field of the object's spec (<c>spec.rules</c>,
/// <c>spec.http</c>) is rendered from its recorded original for each <see cref="RouteTraffic"/> and put back on
/// <see cref="ResetTraffic"/>, every intent of a decision folded into one write.
/// </summary>
internal sealed class RouteObject(WorkloadPatcher patcher, ResourceKind kind, string field)
{
    public delegate JsonArray Renderer(JsonArray original, RouteTraffic traffic);

    /// <summary>The object and the list as the rollout found it (recorded, or the live one when not yet changed).</summary>
    public async Task<(JsonObject? Live, JsonArray Original)> ReadAsync(TrafficTarget target, string name, CancellationToken cancellationToken)
    {
        var live = await patcher.Api.GetAsync(kind, target.RolloutNamespace, name, cancellationToken);
        return (live, Original(live, target));
    }

    public JsonArray Original(JsonObject? live, TrafficTarget target) =>
        (TrafficMarks.RecordedOriginal(live, target) is { } recorded ? recorded[field] : JsonPath.Get(live, "spec." + field))?.DeepClone() as JsonArray ?? [];

    public JsonArray Live(JsonObject? live) => JsonPath.Get(live, "spec." + field) as JsonArray ?? [];

    /// <summary>The last applied traffic, when the live list is exactly what it renders (nobody changed it since).</summary>
    public RouteTraffic? InSync(JsonObject live, TrafficTarget target, Renderer render) =>
        TrafficMarks.HeldBy(live, target) && TrafficMarks.ReadApplied(live) is { } applied
        && JsonNode.DeepEquals(render(Original(live, target), applied), Live(live))
            ? applied
            : null;

    /// <summary>Folds the decision's intents into one write of the object (none when nothing differs).</summary>
    public async Task ApplyAsync(TrafficTarget target, string name, IReadOnlyList<TrafficIntent> intents, Renderer render, CancellationToken cancellationToken)
    {
        var relevant = intents.Where(i => i is RouteTraffic or ResetTraffic).ToList();
        if (relevant.Count == 0)
        {
            return;
        }

        var live = await patcher.Api.GetAsync(kind, target.RolloutNamespace, name, cancellationToken);
        if (live is null)
        {
            if (relevant.Any(i => i is RouteTraffic) && relevant[^1] is RouteTraffic)
            {
                throw new InvalidOperationException($"{kind.Kind} {target.RolloutNamespace}/{name} not found: traffic cannot be routed through it");
            }

            return;
        }

        if (TrafficMarks.HeldByAnother(live, target) is { } other)
        {
            throw new InvalidOperationException($"{kind.Kind} {target.RolloutNamespace}/{name} is held by rollout {other}");
        }

        await patcher.PatchAsync(kind, live, obj =>
        {
            foreach (var intent in relevant)
            {
                switch (intent)
                {
                    case RouteTraffic traffic:
                        var original = TrafficMarks.Hold(obj, target, o => new JsonObject { [field] = JsonPath.Get(o, "spec." + field)?.DeepClone() });
                        JsonPath.Set(obj, "spec." + field, render(original[field]?.DeepClone() as JsonArray ?? [], traffic));
                        TrafficMarks.SetApplied(obj, traffic);
                        break;
                    case ResetTraffic when TrafficMarks.RecordedOriginal(obj, target) is { } recorded:
                        if (recorded[field] is { } value)
                        {
                            JsonPath.Set(obj, "spec." + field, value.DeepClone());
                        }
                        else
                        {
                            (obj["spec"] as JsonObject)?.Remove(field);
                        }

                        TrafficMarks.Release(obj);
                        break;
                }
            }
        }, cancellationToken);
    }
}
