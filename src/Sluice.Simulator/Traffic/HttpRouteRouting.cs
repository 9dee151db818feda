using System.Text.Json.Nodes;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// How a Gateway API implementation routes a request through an HTTPRoute (pure): the host must match the route's hostnames;
/// among the rules' matches that match (path Exact, PathPrefix by element or RegularExpression; headers; query parameters;
/// method GET), the most specific wins: an exact path, then the longest prefix, then a method, then more header matches,
/// then more query matches, then the earlier rule. Its Service backendRefs share the requests by weight (default 1; all 0
/// is a 500); its RequestMirror filters copy <c>percent</c> (or <c>fraction</c>, else all) of them.
/// </summary>
internal static class HttpRouteRouting
{
    public static RouteDecision Route(JsonObject route, RequestClass request, string host, string path)
    {
        var ns = Json.Namespace(route);
        var hostnames = (Json.At(route, "spec", "hostnames") as JsonArray ?? []).Select(h => h?.GetValue<string>() ?? "").ToList();
        if (hostnames.Count > 0 && host.Length > 0 && !hostnames.Any(h => Patterns.Host(h, host)))
        {
            return RouteDecision.NoRoute;
        }

        var rules = (Json.At(route, "spec", "rules") as JsonArray ?? []).OfType<JsonObject>().ToList();
        (int Rule, JsonObject Match)? best = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var matches = Json.At(rules[i], "matches") as JsonArray is { Count: > 0 } given ? given.OfType<JsonObject>() : [new JsonObject()];
            foreach (var match in matches)
            {
                if (Matches(match, request, path) && (best is null || MoreSpecific(match, best.Value.Match)))
                {
                    best = (i, match);
                }
            }
        }

        if (best is not { } chosen)
        {
            return RouteDecision.NoRoute;
        }

        var rule = rules[chosen.Rule];
        var point = $"rule {chosen.Rule}";
        var backends = new List<(ServiceRef, long)>();
        foreach (var reference in (Json.At(rule, "backendRefs") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (IsService(reference))
            {
                backends.Add((new ServiceRef(Json.Str(reference, "namespace") is { Length: > 0 } other ? other : ns, Json.Str(reference, "name")), Json.Long(reference, "weight") ?? 1));
            }
        }

        var mirrors = new List<(ServiceRef, double)>();
        foreach (var filter in (Json.At(rule, "filters") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Json.Str(filter, "type") == "RequestMirror" && Json.At(filter, "requestMirror", "backendRef") is JsonObject target && IsService(target))
            {
                mirrors.Add((new ServiceRef(Json.Str(target, "namespace") is { Length: > 0 } other ? other : ns, Json.Str(target, "name")), MirrorPercent(filter["requestMirror"] as JsonObject)));
            }
        }

        return backends.Sum(b => b.Item2) <= 0
            ? RouteDecision.NoBackend(point) with { Mirrors = mirrors }
            : new RouteDecision(RouteOutcome.Routed, point, backends, mirrors);
    }

    /// <summary>The route has a rule with a backendRef to the Service.</summary>
    public static bool SendsTo(JsonObject route, ServiceRef service) =>
        (Json.At(route, "spec", "rules") as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(r => (Json.At(r, "backendRefs") as JsonArray ?? []).OfType<JsonObject>())
            .Any(b => IsService(b) && Json.Str(b, "name") == service.Name && (Json.Str(b, "namespace") is { Length: > 0 } other ? other : Json.Namespace(route)) == service.Namespace);

    /// <summary>The path of the first match of the first rule sending to the Service (what its clients ask for by default).</summary>
    public static string PathTo(JsonObject route, ServiceRef service)
    {
        foreach (var rule in (Json.At(route, "spec", "rules") as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((Json.At(rule, "backendRefs") as JsonArray ?? []).OfType<JsonObject>().Any(b => IsService(b) && Json.Str(b, "name") == service.Name)
                && Json.At(rule, "matches", "0", "path") is JsonObject pathMatch && Json.Str(pathMatch, "type") is "Exact" or "PathPrefix" or "")
            {
                return Json.Str(pathMatch, "value") is { Length: > 0 } value ? value : "/";
            }
        }

        return "/";
    }

    private static bool IsService(JsonObject reference) =>
        Json.Str(reference, "group").Length == 0 && (Json.Str(reference, "kind") is "" or "Service") && Json.Str(reference, "name").Length > 0;

    private static double MirrorPercent(JsonObject? mirror)
    {
        if (Json.Long(mirror, "percent") is { } percent)
        {
            return percent;
        }

        if (Json.Long(mirror, "fraction", "numerator") is { } numerator)
        {
            var denominator = Json.Long(mirror, "fraction", "denominator") ?? 100;
            return denominator <= 0 ? 0 : Math.Min(100, numerator * 100.0 / denominator);
        }

        return 100;
    }

    private static bool Matches(JsonObject match, RequestClass request, string path)
    {
        var pathMatch = match["path"] as JsonObject;
        var type = Json.Str(pathMatch, "type") is { Length: > 0 } t ? t : "PathPrefix";
        var value = Json.Str(pathMatch, "value") is { Length: > 0 } v ? v : "/";
        var pathOk = type switch
        {
            "Exact" => path == value,
            "RegularExpression" => Patterns.Full(value, path),
            _ => Patterns.PathPrefix(value, path),
        };
        if (!pathOk || (Json.Str(match, "method") is { Length: > 0 } method && method != "GET"))
        {
            return false;
        }

        foreach (var header in (match["headers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var actual = request.Header(Json.Str(header, "name"));
            if (actual is null || !Value(header, actual))
            {
                return false;
            }
        }

        foreach (var query in (match["queryParams"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!request.Query.TryGetValue(Json.Str(query, "name"), out var actual) || !Value(query, actual))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Value(JsonObject condition, string actual) =>
        Json.Str(condition, "type") == "RegularExpression" ? Patterns.Search(Json.Str(condition, "value"), actual) : actual == Json.Str(condition, "value");

    /// <summary>Gateway API's precedence between two matching matches (ties keep the earlier).</summary>
    private static bool MoreSpecific(JsonObject candidate, JsonObject current)
    {
        var rank = Rank(candidate).CompareTo(Rank(current));
        return rank > 0;
    }

    private static (int Exact, int Prefix, int Method, int Headers, int Query) Rank(JsonObject match)
    {
        var type = Json.Str(match, "path", "type") is { Length: > 0 } t ? t : "PathPrefix";
        var value = Json.Str(match, "path", "value") is { Length: > 0 } v ? v : "/";
        return (
            type == "Exact" ? 1 : 0,
            type == "PathPrefix" ? value.TrimEnd('/').Length + 1 : 0,
            Json.Str(match, "method").Length > 0 ? 1 : 0,
            (match["headers"] as JsonArray)?.Count ?? 0,
            (match["queryParams"] as JsonArray)?.Count ?? 0);
    }
}
