using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Core.Engine;
using Sluice.Simulator.Traffic;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// Every state of the routing objects (HTTPRoutes, VirtualServices, Ingresses, Services) and of the CloneSets, recorded
/// from the store while a scenario runs, and for one <see cref="RoutedApp"/> and one router what each segment of the data
/// plane's report went through: the weight and the traffic the rollout had written on the route at that segment's
/// resourceVersion. With these, spec traffic.md's invariants are checked per router over the whole history.
/// </summary>
public sealed class RouteHistory : IAsyncDisposable
{
    private RouteHistory(ObjectHistory httpRoutes, ObjectHistory virtualServices, ObjectHistory ingresses, ObjectHistory services, ObjectHistory cloneSets)
    {
        HttpRoutes = httpRoutes;
        VirtualServices = virtualServices;
        Ingresses = ingresses;
        Services = services;
        CloneSets = cloneSets;
    }

    public ObjectHistory HttpRoutes { get; }

    public ObjectHistory VirtualServices { get; }

    public ObjectHistory Ingresses { get; }

    public ObjectHistory Services { get; }

    public ObjectHistory CloneSets { get; }

    /// <summary>Records from the in-process store of <paramref name="cluster"/>.</summary>
    public static RouteHistory Start(TestCluster cluster) => new(
        cluster.Record("gateway.networking.k8s.io", "httproutes"), cluster.Record("networking.istio.io", "virtualservices"),
        cluster.Record("networking.k8s.io", "ingresses"), cluster.Record("", "services"), cluster.Record("apps.kruise.io", "clonesets"));

    /// <summary>Records through the API of a plane in another process (a list, then a watch).</summary>
    public static async Task<RouteHistory> WatchAsync(IKubeApi api) => new(
        await ObjectHistory.WatchAsync(api, TrafficKinds.HttpRoute), await ObjectHistory.WatchAsync(api, TrafficKinds.VirtualService),
        await ObjectHistory.WatchAsync(api, TrafficKinds.Ingress), await ObjectHistory.WatchAsync(api, ResourceKind.Service),
        await ObjectHistory.WatchAsync(api, ResourceKind.CloneSet));

    /// <summary>Waits until every history holds what the API lists now.</summary>
    public async Task CatchUpAsync(IKubeApi api)
    {
        await HttpRoutes.CatchUpAsync(api, TrafficKinds.HttpRoute);
        await VirtualServices.CatchUpAsync(api, TrafficKinds.VirtualService);
        await Ingresses.CatchUpAsync(api, TrafficKinds.Ingress);
        await Services.CatchUpAsync(api, ResourceKind.Service);
        await CloneSets.CatchUpAsync(api, ResourceKind.CloneSet);
    }

    /// <summary>What the watches could not record (each one a gap in the history).</summary>
    public IReadOnlyList<string> Errors => [.. HttpRoutes.Errors, .. VirtualServices.Errors, .. Ingresses.Errors, .. Services.Errors, .. CloneSets.Errors];

    /// <summary>The routers of <paramref name="app"/>, one by one.</summary>
    public static IEnumerable<Routers> Each(RoutedApp app) =>
        new[] { Routers.HttpRoute, Routers.VirtualService, Routers.Nginx }.Where(r => app.Routers.HasFlag(r));

    /// <summary>The entry of a segment that came through <paramref name="router"/> (as the data plane names it).</summary>
    public static string Entry(RoutedApp app, Routers router) => $"{Key(app, router)}";

    /// <summary>The weight to the canary Service that <paramref name="router"/>'s object held when the segment's requests went through it, or null for another entry.</summary>
    public Func<TrafficSegment, int?> Weight(RoutedApp app, Routers router) =>
        segment => segment.Entry == Entry(app, router) && At(app, router, segment) is { } obj ? ReadWeight(app, router, obj) : null;

    /// <summary>The mirror percent <paramref name="router"/> held for a segment (null for another entry or no mirror).</summary>
    /// <remarks>
    /// NGINX keeps the weight on the canary Ingress and the mirror on the primary (<c>mirror-target</c>), two writes: the
    /// mirror is read from the primary as the segment saw it, not from the rollout's record on the canary.
    /// </remarks>
    public Func<TrafficSegment, int?> Mirror(RoutedApp app, Routers router)
    {
        if (router != Routers.Nginx)
        {
            return segment => segment.Entry == Entry(app, router) && Applied(app, router, segment) is { Mirror: > 0 and var mirror } ? mirror : null;
        }

        return segment => segment.Entry == Entry(app, router) && segment.Versions.TryGetValue(Key(app, router), out var version)
            && Ingresses.At(app.Name, version)?["metadata"]?["annotations"]?[NginxCanary.MirrorTarget] is not null ? 100 : null;
    }

    /// <summary>The traffic the rollout last applied to <paramref name="router"/>'s object as a segment went through it (its own record on the object), or null.</summary>
    public RouteTraffic? Applied(RoutedApp app, Routers router, TrafficSegment segment) =>
        segment.Entry == Entry(app, router) && AppliedObject(app, router, segment) is { } obj ? TrafficMarks.ReadApplied(obj) : null;

    /// <summary>The weights <paramref name="router"/> held while the rollout held it, consecutive repeats removed.</summary>
    public IReadOnlyList<int> WeightSequence(RoutedApp app, Routers router) => router switch
    {
        Routers.Nginx => Ingresses.Track(app.Canary, NginxCanary.ReadWeight).ToList(),
        _ => WrittenWeights.Sequence(History(router), app.Name, obj => ReadWeight(app, router, obj)),
    };

    /// <summary>The template hashes the stable and canary Services pinned at a segment's resourceVersions (null when either is not in its configuration or not pinned).</summary>
    public (string Stable, string Canary)? Pins(RoutedApp app, TrafficSegment segment)
    {
        string? Pin(string name) => segment.Versions.TryGetValue($"Service default/{name}", out var version)
            ? Services.At(name, version)?["spec"]?["selector"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>()
            : null;
        return Pin(app.Name) is { } stable && Pin(app.Canary) is { } canary ? (stable, canary) : null;
    }

    /// <summary>
    /// In one recorded state of the router's kind, the router sends something to the canary Service: a weight, a match rule
    /// (more rules than the route had before the rollout), or a mirror.
    /// </summary>
    public bool SendsToTarget(RoutedApp app, Routers router, IReadOnlyDictionary<string, JsonObject> state)
    {
        switch (router)
        {
            case Routers.Nginx:
                var canary = state.GetValueOrDefault(app.Canary);
                var primary = state.GetValueOrDefault(app.Name);
                return (canary is not null && (NginxCanary.ReadWeight(canary) > 0 || canary["metadata"]?["annotations"]?[NginxCanary.ByHeader] is not null
                        || canary["metadata"]?["annotations"]?[NginxCanary.ByCookie] is not null))
                    || primary?["metadata"]?["annotations"]?[NginxCanary.MirrorTarget] is not null;
            default:
                if (state.GetValueOrDefault(app.Name) is not { } route)
                {
                    return false;
                }

                var field = router == Routers.HttpRoute ? "rules" : "http";
                var before = History(router).States.First(s => s.Objects.ContainsKey(app.Name)).Objects[app.Name];
                var read = router == Routers.HttpRoute
                    ? HttpRouteRules.Read(route["spec"]?["rules"] as JsonArray ?? [], app.Name, app.Canary, "default")
                    : VirtualServiceRoutes.Read(route["spec"]?["http"] as JsonArray ?? [], app.Name, app.Canary, "default");
                return read.Weight > 0 || read.Mirror > 0 || (route["spec"]?[field] as JsonArray)?.Count > (before["spec"]?[field] as JsonArray)?.Count;
        }
    }

    /// <summary>The object of <paramref name="router"/> the routes live on (for NGINX the primary Ingress).</summary>
    public ObjectHistory History(Routers router) => router switch
    {
        Routers.HttpRoute => HttpRoutes,
        Routers.VirtualService => VirtualServices,
        Routers.Nginx => Ingresses,
        _ => throw new ArgumentOutOfRangeException(nameof(router)),
    };

    public async ValueTask DisposeAsync()
    {
        await HttpRoutes.DisposeAsync();
        await VirtualServices.DisposeAsync();
        await Ingresses.DisposeAsync();
        await Services.DisposeAsync();
        await CloneSets.DisposeAsync();
    }

    private static string Key(RoutedApp app, Routers router) => router switch
    {
        Routers.HttpRoute => $"HTTPRoute default/{app.Name}",
        Routers.VirtualService => $"VirtualService default/{app.Name}",
        Routers.Nginx => $"Ingress default/{app.Name}",
        _ => throw new ArgumentOutOfRangeException(nameof(router)),
    };

    /// <summary>The object whose resourceVersion decides the segment's weight: the route, or for NGINX the canary Ingress.</summary>
    private JsonObject? At(RoutedApp app, Routers router, TrafficSegment segment)
    {
        if (router == Routers.Nginx)
        {
            // No canary Ingress in the segment's configuration: everything went to the primary's Service.
            return segment.Versions.TryGetValue($"Ingress default/{app.Canary}", out var canaryVersion)
                ? Ingresses.At(app.Canary, canaryVersion)
                : segment.Versions.ContainsKey(Key(app, router)) ? [] : null;
        }

        return segment.Versions.TryGetValue(Key(app, router), out var version) ? History(router).At(app.Name, version) : null;
    }

    private JsonObject? AppliedObject(RoutedApp app, Routers router, TrafficSegment segment) =>
        router == Routers.Nginx
            ? segment.Versions.TryGetValue($"Ingress default/{app.Canary}", out var version) ? Ingresses.At(app.Canary, version) : null
            : At(app, router, segment);

    private static int ReadWeight(RoutedApp app, Routers router, JsonObject obj) => router switch
    {
        Routers.HttpRoute => HttpRouteRules.Read(obj["spec"]?["rules"] as JsonArray ?? [], app.Name, app.Canary, "default").Weight,
        Routers.VirtualService => VirtualServiceRoutes.Read(obj["spec"]?["http"] as JsonArray ?? [], app.Name, app.Canary, "default").Weight,
        Routers.Nginx => obj.Count == 0 ? 0 : NginxCanary.ReadWeight(obj),
        _ => throw new ArgumentOutOfRangeException(nameof(router)),
    };
}
