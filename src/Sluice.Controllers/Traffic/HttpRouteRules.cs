using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// The rules of a Gateway API HTTPRoute for a traffic step, from the rules as found (pure). Each rule with a backendRef to
/// the stable Service gets the canary Service beside it, weighted (with other backends its share is split, so their
/// proportions stay exact); with matches, a rule sending only to the canary Service is placed before it, matching what it
/// matched plus the conditions (a header prefix and a cookie as header regular expressions; Gateway API's precedence puts
/// the rule with more header and query conditions first); with a mirror, a RequestMirror filter with <c>percent</c>.
/// </summary>
public static class HttpRouteRules
{
    private static readonly JsonObject DefaultMatch = new() { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/" } };

    /// <summary>The backendRef names Service <paramref name="service"/> in the route's namespace.</summary>
    public static bool IsService(JsonNode? backendRef, string service, string routeNamespace) =>
        backendRef is JsonObject reference
        && (JsonPath.String(reference, "group") ?? "") == ""
        && (JsonPath.String(reference, "kind") ?? "Service") == "Service"
        && JsonPath.String(reference, "name") == service
        && (JsonPath.String(reference, "namespace") ?? routeNamespace) == routeNamespace;

    /// <summary>The rule sends traffic to the stable Service.</summary>
    public static bool Targets(JsonNode? rule, string service, string routeNamespace) =>
        (JsonPath.Get(rule, "backendRefs") as JsonArray ?? []).Any(r => IsService(r, service, routeNamespace));

    /// <summary>The rules for <paramref name="traffic"/>, from <paramref name="original"/> (left untouched).</summary>
    public static JsonArray Render(JsonArray original, RouteTraffic traffic, string service, string canary, string routeNamespace)
    {
        var rules = new JsonArray();
        foreach (var rule in original.OfType<JsonObject>())
        {
            if (!Targets(rule, service, routeNamespace))
            {
                rules.Add(rule.DeepClone());
                continue;
            }

            var stableRef = (JsonPath.Get(rule, "backendRefs") as JsonArray)!.OfType<JsonObject>().First(r => IsService(r, service, routeNamespace));
            if (traffic.Matches.Count > 0)
            {
                rules.Add(MatchRule(rule, stableRef, traffic.Matches, canary));
            }

            var weighted = rule.DeepClone().AsObject();
            weighted["backendRefs"] = Split((JsonArray)rule["backendRefs"]!, traffic.Weight, service, canary, routeNamespace);
            if (traffic.Mirror > 0)
            {
                var filters = weighted["filters"] as JsonArray ?? [];
                filters.Add(new JsonObject
                {
                    ["type"] = "RequestMirror",
                    ["requestMirror"] = new JsonObject { ["backendRef"] = CanaryRef(stableRef, canary, withFilters: false), ["percent"] = traffic.Mirror },
                });
                weighted["filters"] = filters;
            }

            rules.Add(weighted);
        }

        return rules;
    }

    /// <summary>
    /// What the rules send to the canary Service: the weight of the first rule holding both Services (its share of their
    /// weights, rounded) and that rule's mirror percent.
    /// </summary>
    public static (int Weight, int Mirror) Read(JsonArray rules, string service, string canary, string routeNamespace)
    {
        foreach (var rule in rules.OfType<JsonObject>())
        {
            var refs = JsonPath.Get(rule, "backendRefs") as JsonArray ?? [];
            var stable = refs.Where(r => IsService(r, service, routeNamespace)).Sum(Weight);
            var next = refs.Where(r => IsService(r, canary, routeNamespace)).ToList();
            if (next.Count == 0 || !refs.Any(r => IsService(r, service, routeNamespace)))
            {
                continue;
            }

            var canaryWeight = next.Sum(Weight);
            var weight = stable + canaryWeight == 0 ? 0 : (int)Math.Round(canaryWeight * 100.0 / (stable + canaryWeight), MidpointRounding.AwayFromZero);
            var mirror = 0;
            foreach (var filter in (JsonPath.Get(rule, "filters") as JsonArray ?? []).OfType<JsonObject>())
            {
                if (JsonPath.String(filter, "type") == "RequestMirror" && IsService(JsonPath.Get(filter, "requestMirror.backendRef"), canary, routeNamespace))
                {
                    mirror = MirrorPercent(filter["requestMirror"] as JsonObject);
                }
            }

            return (weight, mirror);
        }

        return (0, 0);
    }

    /// <summary>A RequestMirror filter's share of requests: <c>percent</c>, else <c>fraction</c>, else all.</summary>
    public static int MirrorPercent(JsonObject? requestMirror)
    {
        if (JsonPath.IntOrNull(requestMirror, "percent") is { } percent)
        {
            return percent;
        }

        if (JsonPath.IntOrNull(requestMirror, "fraction.numerator") is { } numerator)
        {
            var denominator = JsonPath.Int(requestMirror, "fraction.denominator", 100);
            return denominator <= 0 ? 0 : (int)Math.Round(numerator * 100.0 / denominator, MidpointRounding.AwayFromZero);
        }

        return 100;
    }

    /// <summary>A backendRef's weight (1 when absent, as Gateway API defaults it).</summary>
    public static long Weight(JsonNode? backendRef) => (long)(JsonPath.Number(JsonPath.Get(backendRef, "weight")) ?? 1);

    /// <summary>
    /// The backendRefs with the canary Service beside the stable one. Alone, the stable Service gets 100 - weight and the canary
    /// weight. Beside other backends, every other weight is scaled by 100 and the stable Service's W splits into W * (100 - weight)
    /// and W * weight, so each backend keeps its exact share. Example: [web 3, other 1] at 10% is [web 270, web-canary 30, other 100].
    /// </summary>
    private static JsonArray Split(JsonArray refs, int weight, string service, string canary, string routeNamespace)
    {
        var result = new JsonArray();
        var alone = refs.Count == 1;
        foreach (var reference in refs.OfType<JsonObject>())
        {
            var copy = reference.DeepClone().AsObject();
            if (!IsService(reference, service, routeNamespace))
            {
                copy["weight"] = Weight(reference) * 100;
                result.Add(copy);
                continue;
            }

            var w = alone ? 1 : Weight(reference);
            copy["weight"] = w * (100 - weight);
            result.Add(copy);
            var next = CanaryRef(reference, canary, withFilters: true);
            next["weight"] = w * weight;
            result.Add(next);
        }

        return result;
    }

    private static JsonObject MatchRule(JsonObject rule, JsonObject stableRef, IReadOnlyList<TrafficMatch> matches, string canary)
    {
        var matchRule = new JsonObject();
        if (JsonPath.String(rule, "name") is { } name)
        {
            matchRule["name"] = name + "-sluice-canary";
        }

        var combined = new JsonArray();
        var originals = (rule["matches"] as JsonArray is { Count: > 0 } given ? given : new JsonArray(DefaultMatch.DeepClone())).OfType<JsonObject>();
        foreach (var original in originals)
        {
            foreach (var match in matches)
            {
                combined.Add(Combine(original, match));
            }
        }

        matchRule["matches"] = combined;
        if (rule["filters"] is JsonArray filters)
        {
            matchRule["filters"] = filters.DeepClone();
        }

        // Weight 1 written out, as the API server defaults it, so the rule reads back exactly as rendered.
        var single = CanaryRef(stableRef, canary, withFilters: true);
        single["weight"] = 1;
        matchRule["backendRefs"] = new JsonArray(single);
        if (rule["timeouts"] is { } timeouts)
        {
            matchRule["timeouts"] = timeouts.DeepClone();
        }

        return matchRule;
    }

    private static JsonObject Combine(JsonObject original, TrafficMatch match)
    {
        var combined = original.DeepClone().AsObject();
        var headers = combined["headers"] as JsonArray ?? [];
        foreach (var header in match.Headers ?? [])
        {
            headers.Add(header switch
            {
                { Exact: { } exact } => Header("Exact", header.Name!, exact),
                { Prefix: { } prefix } => Header("RegularExpression", header.Name!, MatchPatterns.Prefix(prefix)),
                _ => Header("RegularExpression", header.Name!, header.Regex ?? ""),
            });
        }

        if (match.Cookie is { } cookie)
        {
            headers.Add(Header("RegularExpression", "Cookie", MatchPatterns.Cookie(cookie.Name!, cookie.Value!)));
        }

        if (headers.Count > 0)
        {
            combined["headers"] = headers;
        }

        var queryParams = combined["queryParams"] as JsonArray ?? [];
        foreach (var query in match.QueryParams ?? [])
        {
            queryParams.Add(Header("Exact", query.Name!, query.Exact ?? ""));
        }

        if (queryParams.Count > 0)
        {
            combined["queryParams"] = queryParams;
        }

        return combined;
    }

    private static JsonObject Header(string type, string name, string value) => new() { ["type"] = type, ["name"] = name, ["value"] = value };

    private static JsonObject CanaryRef(JsonObject stableRef, string canary, bool withFilters)
    {
        var reference = new JsonObject();
        foreach (var (key, value) in stableRef)
        {
            if (key == "filters" && !withFilters)
            {
                continue;
            }

            reference[key] = value?.DeepClone();
        }

        reference["name"] = canary;
        reference.Remove("weight");
        if (!withFilters)
        {
            reference.Remove("filters");
        }

        return reference;
    }
}
