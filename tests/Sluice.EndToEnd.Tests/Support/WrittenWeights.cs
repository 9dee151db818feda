using System.Text.Json.Nodes;
using Sluice.Controllers.Traffic;
using Sluice.Simulator.Traffic;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The weight a route held when a segment of requests went through it, read with the router's own reader from the route's
/// recorded history at the resourceVersion the segment names: what was written, to compare with what was measured.
/// </summary>
public static class WrittenWeights
{
    public static Func<TrafficSegment, int?> HttpRoute(ObjectHistory routes, string name, string service, string canary) =>
        At(routes, $"HTTPRoute default/{name}", name, route => HttpRouteRules.Read(route["spec"]?["rules"] as JsonArray ?? [], service, canary, "default"));

    /// <summary>The mirror percent the HTTPRoute held for a segment (null when it mirrored nothing).</summary>
    public static Func<TrafficSegment, int?> HttpRouteMirror(ObjectHistory routes, string name, string service, string canary) =>
        segment => segment.Versions.TryGetValue($"HTTPRoute default/{name}", out var version) && routes.At(name, version) is { } route
            && HttpRouteRules.Read(route["spec"]?["rules"] as JsonArray ?? [], service, canary, "default").Mirror is > 0 and var mirror
                ? mirror
                : null;

    public static Func<TrafficSegment, int?> VirtualService(ObjectHistory services, string name, string service, string canary) =>
        At(services, $"VirtualService default/{name}", name, vs => VirtualServiceRoutes.Read(vs["spec"]?["http"] as JsonArray ?? [], service, canary, "default"));

    /// <summary>
    /// The weights a route held while a rollout held it (its <see cref="TrafficMarks.Original"/> recorded), consecutive repeats
    /// removed: what the rollout wrote, for <see cref="TrafficInvariants.WeightsFollowThePlan"/>.
    /// </summary>
    public static IReadOnlyList<int> Sequence(ObjectHistory routes, string name, Func<JsonObject, int> read) =>
        routes.Track(name, r => r["metadata"]?["annotations"]?[TrafficMarks.Original] is null ? (int?)null : read(r)).OfType<int>().ToList();

    private static Func<TrafficSegment, int?> At(ObjectHistory history, string key, string name, Func<JsonObject, (int Weight, int Mirror)> read) =>
        segment => segment.Versions.TryGetValue(key, out var version) && history.At(name, version) is { } route ? read(route).Weight : null;
}
