using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// The http routes of an Istio VirtualService for a traffic step, from the routes as found (pure). In each steered route
/// (the named ones, or every route with a destination host naming the stable Service), each destination of the stable
/// Service gets one of the canary Service beside it, splitting its weight; with matches, an http route sending only to the
/// canary Service is placed before it, matching what it matched plus the conditions (Istio takes the first route that
/// matches); with a mirror, <c>mirror</c> and <c>mirrorPercentage</c>.
/// </summary>
public static class VirtualServiceRoutes
{
    /// <summary>
    /// The host names Service <paramref name="service"/> of <paramref name="ns"/> as Istio resolves hosts: the short name
    /// (relative to the VirtualService's namespace) or the Kubernetes name <c>service.ns.svc[.cluster.local]</c>.
    /// </summary>
    public static bool IsServiceHost(string? host, string service, string ns) =>
        host is not null
        && (host == service || host == $"{service}.{ns}.svc" || host.StartsWith($"{service}.{ns}.svc.", StringComparison.Ordinal));

    /// <summary>The same form of host for the canary Service. Example: web.shop.svc.cluster.local is web-canary.shop.svc.cluster.local.</summary>
    public static string CanaryHost(string host, string service, string canary) => canary + host[service.Length..];

    /// <summary>The route sends traffic to the stable Service.</summary>
    public static bool Targets(JsonNode? route, string service, string ns) =>
        (JsonPath.Get(route, "route") as JsonArray ?? []).Any(d => IsServiceHost(JsonPath.String(d, "destination.host"), service, ns));

    /// <summary>Whether the route at <paramref name="index"/> is steered: named in <paramref name="names"/>, or (none named) sending to the Service.</summary>
    public static bool Steered(JsonNode? route, IReadOnlyList<string> names, string service, string ns) =>
        names.Count > 0 ? JsonPath.String(route, "name") is { } name && names.Contains(name) && Targets(route, service, ns) : Targets(route, service, ns);

    public static JsonArray Render(JsonArray original, RouteTraffic traffic, IReadOnlyList<string> names, string service, string canary, string ns)
    {
        var result = new JsonArray();
        foreach (var route in original.OfType<JsonObject>())
        {
            if (!Steered(route, names, service, ns))
            {
                result.Add(route.DeepClone());
                continue;
            }

            var stable = (route["route"] as JsonArray)!.OfType<JsonObject>().First(d => IsServiceHost(JsonPath.String(d, "destination.host"), service, ns));
            if (traffic.Matches.Count > 0)
            {
                result.Add(MatchRoute(route, stable, traffic.Matches, service, canary));
            }

            var weighted = route.DeepClone().AsObject();
            weighted["route"] = Split((JsonArray)route["route"]!, traffic.Weight, service, canary, ns);
            if (traffic.Mirror > 0)
            {
                weighted["mirror"] = CanaryDestination(stable, service, canary);
                weighted["mirrorPercentage"] = new JsonObject { ["value"] = traffic.Mirror };
            }

            result.Add(weighted);
        }

        return result;
    }

    /// <summary>What the first steered route holding both Services sends to the canary Service: its share of their weights, and the mirror.</summary>
    public static (int Weight, int Mirror) Read(JsonArray routes, string service, string canary, string ns)
    {
        foreach (var route in routes.OfType<JsonObject>())
        {
            var destinations = (JsonPath.Get(route, "route") as JsonArray ?? []).OfType<JsonObject>().ToList();
            var stable = destinations.Where(d => IsServiceHost(JsonPath.String(d, "destination.host"), service, ns)).ToList();
            var next = destinations.Where(d => IsServiceHost(JsonPath.String(d, "destination.host"), canary, ns)).ToList();
            if (stable.Count == 0 || next.Count == 0)
            {
                continue;
            }

            var single = destinations.Count == 1 ? 100 : 0;
            var stableWeight = stable.Sum(d => JsonPath.Int(d, "weight", single));
            var canaryWeight = next.Sum(d => JsonPath.Int(d, "weight", single));
            var weight = stableWeight + canaryWeight == 0 ? 0 : (int)Math.Round(canaryWeight * 100.0 / (stableWeight + canaryWeight), MidpointRounding.AwayFromZero);
            var mirror = IsServiceHost(JsonPath.String(route, "mirror.host"), canary, ns)
                ? (int)Math.Round(JsonPath.Number(JsonPath.Get(route, "mirrorPercentage.value")) ?? 100, MidpointRounding.AwayFromZero)
                : 0;
            return (weight, mirror);
        }

        return (0, 0);
    }

    /// <summary>
    /// The destinations with the canary Service beside the stable one: a single destination (weight 100 when absent) splits into
    /// 100 - weight and weight; among several (weights summing to 100), the stable Service's W into W - W * weight / 100 and
    /// W * weight / 100 (rounded down), so the total stays 100.
    /// </summary>
    private static JsonArray Split(JsonArray destinations, int weight, string service, string canary, string ns)
    {
        var result = new JsonArray();
        var single = destinations.Count == 1;
        foreach (var destination in destinations.OfType<JsonObject>())
        {
            var copy = destination.DeepClone().AsObject();
            if (!IsServiceHost(JsonPath.String(destination, "destination.host"), service, ns))
            {
                result.Add(copy);
                continue;
            }

            var w = single ? 100 : JsonPath.Int(destination, "weight");
            var toCanary = w * weight / 100;
            copy["weight"] = w - toCanary;
            result.Add(copy);
            var next = new JsonObject { ["destination"] = CanaryDestination(destination, service, canary), ["weight"] = toCanary };
            if (destination["headers"] is { } headers)
            {
                next["headers"] = headers.DeepClone();
            }

            result.Add(next);
        }

        return result;
    }

    private static JsonObject MatchRoute(JsonObject route, JsonObject stable, IReadOnlyList<TrafficMatch> matches, string service, string canary)
    {
        var matchRoute = new JsonObject();
        if (JsonPath.String(route, "name") is { } name)
        {
            matchRoute["name"] = name + "-sluice-canary";
        }

        var combined = new JsonArray();
        var originals = route["match"] as JsonArray is { Count: > 0 } given ? given.OfType<JsonObject>() : [new JsonObject()];
        foreach (var original in originals)
        {
            foreach (var match in matches)
            {
                combined.Add(Combine(original, match));
            }
        }

        matchRoute["match"] = combined;
        var single = new JsonObject { ["destination"] = CanaryDestination(stable, service, canary) };
        if (stable["headers"] is { } headers)
        {
            single["headers"] = headers.DeepClone();
        }

        matchRoute["route"] = new JsonArray(single);
        foreach (var (key, value) in route)
        {
            if (key is not ("name" or "match" or "route" or "mirror" or "mirrorPercentage" or "mirrors" or "mirror_percent"))
            {
                matchRoute[key] = value?.DeepClone();
            }
        }

        return matchRoute;
    }

    private static JsonObject Combine(JsonObject original, TrafficMatch match)
    {
        var combined = original.DeepClone().AsObject();
        var headers = combined["headers"] as JsonObject ?? [];
        foreach (var header in match.Headers ?? [])
        {
            headers[header.Name!.ToLowerInvariant()] = header switch
            {
                { Exact: { } exact } => new JsonObject { ["exact"] = exact },
                { Prefix: { } prefix } => new JsonObject { ["prefix"] = prefix },
                _ => new JsonObject { ["regex"] = header.Regex ?? "" },
            };
        }

        if (match.Cookie is { } cookie)
        {
            headers["cookie"] = new JsonObject { ["regex"] = MatchPatterns.Cookie(cookie.Name!, cookie.Value!) };
        }

        if (headers.Count > 0)
        {
            combined["headers"] = headers;
        }

        var queryParams = combined["queryParams"] as JsonObject ?? [];
        foreach (var query in match.QueryParams ?? [])
        {
            queryParams[query.Name!] = new JsonObject { ["exact"] = query.Exact ?? "" };
        }

        if (queryParams.Count > 0)
        {
            combined["queryParams"] = queryParams;
        }

        return combined;
    }

    /// <summary>The stable destination's host (in the same form) and port, for the canary Service; no subset (the pin does that job).</summary>
    private static JsonObject CanaryDestination(JsonObject stable, string service, string canary)
    {
        var destination = new JsonObject { ["host"] = CanaryHost(JsonPath.String(stable, "destination.host")!, service, canary) };
        if (JsonPath.Get(stable, "destination.port") is { } port)
        {
            destination["port"] = port.DeepClone();
        }

        return destination;
    }
}
