using System.Text.Json.Nodes;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// How an Istio sidecar or gateway routes a request through a VirtualService (pure): the first http route one of whose
/// matches matches (uri, authority, headers, query parameters, method as exact, prefix or a full-match regex; an empty
/// condition means present; withoutHeaders must not match; no match list matches everything) decides; its destinations
/// share the requests by weight (a single one: all; several: weight, absent 0), its <c>mirror</c> with
/// <c>mirrorPercentage</c> (absent: all) and its <c>mirrors</c> copy them. No route matching is a 404.
/// </summary>
internal static class VirtualServiceRouting
{
    public static RouteDecision Route(JsonObject virtualService, RequestClass request, string host, string path)
    {
        var ns = Json.Namespace(virtualService);
        var routes = (Json.At(virtualService, "spec", "http") as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            var matches = route["match"] as JsonArray ?? [];
            if (matches.Count > 0 && !matches.OfType<JsonObject>().Any(m => Matches(m, request, host, path)))
            {
                continue;
            }

            var point = $"http {i}{(Json.Str(route, "name") is { Length: > 0 } name ? $" ({name})" : "")}";
            var destinations = (route["route"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var backends = destinations
                .Select(d => (Service(Json.Str(d, "destination", "host"), ns), destinations.Count == 1 ? Json.Long(d, "weight") ?? 100 : Json.Long(d, "weight") ?? 0))
                .ToList();
            var mirrors = new List<(ServiceRef, double)>();
            if (Json.Str(route, "mirror", "host") is { Length: > 0 } mirrorHost)
            {
                mirrors.Add((Service(mirrorHost, ns), Percent(route["mirrorPercentage"]) ?? MirrorPercentDeprecated(route) ?? 100));
            }

            foreach (var mirror in (route["mirrors"] as JsonArray ?? []).OfType<JsonObject>())
            {
                mirrors.Add((Service(Json.Str(mirror, "destination", "host"), ns), Percent(mirror["percentage"]) ?? 100));
            }

            return backends.Sum(b => b.Item2) <= 0
                ? RouteDecision.NoBackend(point) with { Mirrors = mirrors }
                : new RouteDecision(RouteOutcome.Routed, point, backends, mirrors);
        }

        return RouteDecision.NoRoute;
    }

    /// <summary>An http route of the VirtualService has a destination naming the Service.</summary>
    public static bool SendsTo(JsonObject virtualService, ServiceRef service) =>
        (Json.At(virtualService, "spec", "http") as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(r => (r["route"] as JsonArray ?? []).OfType<JsonObject>())
            .Any(d => Service(Json.Str(d, "destination", "host"), Json.Namespace(virtualService)) == service);

    /// <summary>The uri of the first match of the first route sending to the Service (exact or prefix), else "/".</summary>
    public static string PathTo(JsonObject virtualService, ServiceRef service)
    {
        foreach (var route in (Json.At(virtualService, "spec", "http") as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((route["route"] as JsonArray ?? []).OfType<JsonObject>().Any(d => Service(Json.Str(d, "destination", "host"), Json.Namespace(virtualService)) == service))
            {
                var uri = Json.At(route, "match", "0", "uri");
                return Json.Str(uri, "exact") is { Length: > 0 } exact ? exact : Json.Str(uri, "prefix") is { Length: > 0 } prefix ? prefix : "/";
            }
        }

        return "/";
    }

    /// <summary>
    /// The Service a host names, as Istio resolves it: a short name ("web") in the VirtualService's namespace, or a
    /// Kubernetes name "web.ns.svc" / "web.ns.svc.cluster.local". Any other host (Istio takes it as a fully qualified
    /// name outside the mesh's Services) is a Service of that name in the VirtualService's namespace that does not exist,
    /// so requests sent to it find no endpoint.
    /// </summary>
    public static ServiceRef Service(string host, string ns)
    {
        var parts = host.Split('.');
        return parts.Length switch
        {
            1 => new ServiceRef(ns, host),
            >= 3 when parts[2] == "svc" => new ServiceRef(parts[1], parts[0]),
            _ => new ServiceRef(ns, host),
        };
    }

    private static double? Percent(JsonNode? percentage) => Json.At(percentage, "value") is JsonValue value && value.TryGetValue<double>(out var d) ? d : Json.Long(percentage, "value");

    private static double? MirrorPercentDeprecated(JsonObject route) => Json.Long(route, "mirror_percent");

    private static bool Matches(JsonObject match, RequestClass request, string host, string path)
    {
        if (!StringMatch(match["uri"], path, Json.Bool(match, "ignoreUriCase"))
            || !StringMatch(match["authority"], host, false)
            || !StringMatch(match["method"], "GET", false)
            || !StringMatch(match["scheme"], "http", false))
        {
            return false;
        }

        foreach (var (name, condition) in match["headers"] as JsonObject ?? [])
        {
            if (request.Header(name) is not { } value || !StringMatch(condition, value, false))
            {
                return false;
            }
        }

        foreach (var (name, condition) in match["withoutHeaders"] as JsonObject ?? [])
        {
            if (request.Header(name) is { } value && StringMatch(condition, value, false))
            {
                return false;
            }
        }

        foreach (var (name, condition) in match["queryParams"] as JsonObject ?? [])
        {
            if (!request.Query.TryGetValue(name, out var value) || !StringMatch(condition, value, false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Istio's StringMatch: exact, prefix, or a regex matching the whole value; absent matches anything.</summary>
    private static bool StringMatch(JsonNode? condition, string value, bool ignoreCase)
    {
        if (condition is not JsonObject match)
        {
            return true;
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (match["exact"] is JsonValue exact)
        {
            return string.Equals(exact.GetValue<string>(), value, comparison);
        }

        if (match["prefix"] is JsonValue prefix)
        {
            return value.StartsWith(prefix.GetValue<string>(), comparison);
        }

        return match["regex"] is not JsonValue regex || Patterns.Full(regex.GetValue<string>(), value);
    }
}
