using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// The canary Ingress ingress-nginx reads beside a primary Ingress (pure): the primary's rules that send to the stable
/// Service, sending to the canary Service instead, with <c>nginx.ingress.kubernetes.io/canary: "true"</c>,
/// <c>canary-weight</c>, and for matches <c>canary-by-header</c> with <c>canary-by-header-value</c> (exact) or
/// <c>canary-by-header-pattern</c> (prefix, regex) and <c>canary-by-cookie</c> (whose value must be "always"). NGINX
/// evaluates header, then cookie, then weight. A mirror is <c>mirror-target</c> on the primary: every request or none.
/// </summary>
public static class NginxCanary
{
    public const string Prefix = "nginx.ingress.kubernetes.io/";
    public const string Canary = Prefix + "canary";
    public const string Weight = Prefix + "canary-weight";
    public const string WeightTotal = Prefix + "canary-weight-total";
    public const string ByHeader = Prefix + "canary-by-header";
    public const string ByHeaderValue = Prefix + "canary-by-header-value";
    public const string ByHeaderPattern = Prefix + "canary-by-header-pattern";
    public const string ByCookie = Prefix + "canary-by-cookie";
    public const string MirrorTarget = Prefix + "mirror-target";

    /// <summary>The canary Ingress's name beside <paramref name="primary"/>.</summary>
    public static string Name(string primary) => primary + "-canary";

    /// <summary>The backend sends to Service <paramref name="service"/>.</summary>
    public static bool IsService(JsonNode? backend, string service) => JsonPath.String(backend, "service.name") == service;

    /// <summary>The Ingress sends traffic to the stable Service (a path or its default backend).</summary>
    public static bool Targets(JsonObject ingress, string service) =>
        IsService(JsonPath.Get(ingress, "spec.defaultBackend"), service) || Paths(ingress).Any(p => IsService(p["backend"], service));

    /// <summary>The canary Ingress for <paramref name="traffic"/> beside <paramref name="primary"/> (marks and owner added by the router).</summary>
    public static JsonObject Render(JsonObject primary, RouteTraffic traffic, string service, string canary)
    {
        var spec = new JsonObject();
        if (JsonPath.Get(primary, "spec.ingressClassName") is { } className)
        {
            spec["ingressClassName"] = className.DeepClone();
        }

        if (JsonPath.Get(primary, "spec.defaultBackend") is JsonObject defaultBackend && IsService(defaultBackend, service))
        {
            spec["defaultBackend"] = Retarget(defaultBackend, canary);
        }

        var rules = new JsonArray();
        foreach (var rule in (JsonPath.Get(primary, "spec.rules") as JsonArray ?? []).OfType<JsonObject>())
        {
            var paths = new JsonArray();
            foreach (var path in (JsonPath.Get(rule, "http.paths") as JsonArray ?? []).OfType<JsonObject>().Where(p => IsService(p["backend"], service)))
            {
                var copy = path.DeepClone().AsObject();
                copy["backend"] = Retarget((JsonObject)path["backend"]!, canary);
                paths.Add(copy);
            }

            if (paths.Count > 0)
            {
                var copy = new JsonObject();
                if (rule["host"] is { } host)
                {
                    copy["host"] = host.DeepClone();
                }

                copy["http"] = new JsonObject { ["paths"] = paths };
                rules.Add(copy);
            }
        }

        if (rules.Count > 0)
        {
            spec["rules"] = rules;
        }

        var annotations = new JsonObject
        {
            [Canary] = "true",
            [Weight] = traffic.Weight.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var match in traffic.Matches)
        {
            foreach (var header in match.Headers ?? [])
            {
                annotations[ByHeader] = header.Name;
                if (header.Exact is { } exact)
                {
                    annotations[ByHeaderValue] = exact;
                }
                else
                {
                    annotations[ByHeaderPattern] = header.Prefix is { } prefix ? MatchPatterns.Prefix(prefix) : header.Regex;
                }
            }

            if (match.Cookie is { } cookie)
            {
                annotations[ByCookie] = cookie.Name;
            }
        }

        var name = Name(JsonPath.String(primary, "metadata.name")!);
        var ingress = new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = JsonPath.String(primary, "metadata.namespace"), ["annotations"] = annotations },
            ["spec"] = spec,
        };
        if (JsonPath.Get(primary, "metadata.labels") is JsonObject labels)
        {
            JsonPath.Set(ingress, "metadata.labels", labels.DeepClone());
        }

        return ingress;
    }

    /// <summary>The mirror-target URL for the canary Service: every request to the primary copied to it, path and query kept.</summary>
    public static string MirrorUrl(JsonObject primary, string service, string canary, string ns)
    {
        var backend = Paths(primary).Select(p => p["backend"]).FirstOrDefault(b => IsService(b, service)) ?? JsonPath.Get(primary, "spec.defaultBackend");
        var port = JsonPath.IntOrNull(backend, "service.port.number");
        return $"http://{canary}.{ns}.svc.cluster.local{(port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}$request_uri";
    }

    /// <summary>The weight a canary Ingress sends (canary-weight out of canary-weight-total, as a percent).</summary>
    public static int ReadWeight(JsonObject? canaryIngress)
    {
        if (canaryIngress is null || JsonPath.Annotation(canaryIngress, Canary) != "true")
        {
            return 0;
        }

        var weight = int.TryParse(JsonPath.Annotation(canaryIngress, Weight), NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : 0;
        var total = int.TryParse(JsonPath.Annotation(canaryIngress, WeightTotal), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 100;
        return (int)Math.Round(Math.Min(weight, total) * 100.0 / total, MidpointRounding.AwayFromZero);
    }

    private static IEnumerable<JsonObject> Paths(JsonObject ingress) =>
        (JsonPath.Get(ingress, "spec.rules") as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(r => (JsonPath.Get(r, "http.paths") as JsonArray ?? []).OfType<JsonObject>());

    private static JsonObject Retarget(JsonObject backend, string canary)
    {
        var copy = backend.DeepClone().AsObject();
        JsonPath.Set(copy, "service.name", canary);
        return copy;
    }
}
