using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// How ingress-nginx routes a request through an Ingress and its canary Ingress (pure). The location is the primary's rule
/// whose host matches with the longest matching path (Exact before Prefix; Prefix by element), else its default backend.
/// A canary Ingress (<c>nginx.ingress.kubernetes.io/canary: "true"</c>) with the same host and path splits that location,
/// with NGINX's precedence: <c>canary-by-header</c> (with <c>-value</c>: that value goes to the canary; with <c>-pattern</c>:
/// a match does; otherwise "always" does and "never" does not; any other value falls through), then
/// <c>canary-by-cookie</c> ("always", "never"), then <c>canary-weight</c> of <c>canary-weight-total</c> (default 100).
/// <c>mirror-target</c> on the primary copies every request of the location.
/// </summary>
internal static class IngressRouting
{
    private const string Prefix = "nginx.ingress.kubernetes.io/";

    public static bool IsCanary(JsonObject ingress) => Json.Annotation(ingress, Prefix + "canary") == "true";

    public static RouteDecision Route(JsonObject primary, IReadOnlyList<JsonObject> canaries, RequestClass request, string host, string path)
    {
        var ns = Json.Namespace(primary);
        if (Location(primary, host, path) is not { } location)
        {
            return RouteDecision.NoRoute;
        }

        var mirrors = new List<(ServiceRef, double)>();
        if (Json.Annotation(primary, Prefix + "mirror-target") is { Length: > 0 } target && MirrorService(target, ns) is { } mirrored)
        {
            mirrors.Add((mirrored, 100));
        }

        var stable = new ServiceRef(ns, location.Service);
        var point = $"location {location.Host}{location.Path}";
        var canary = canaries.OrderBy(Json.Name, StringComparer.Ordinal)
            .Select(c => (Ingress: c, Location: Location(c, host, path)))
            .FirstOrDefault(c => c.Location is { } l && l.Host == location.Host && l.Path == location.Path);
        if (canary.Location is not { } canaryLocation)
        {
            return RouteDecision.To(stable, point) with { Mirrors = mirrors };
        }

        var next = new ServiceRef(ns, canaryLocation.Service);
        var annotations = canary.Ingress;
        if (Json.Annotation(annotations, Prefix + "canary-by-header") is { Length: > 0 } header && request.Header(header) is { } value)
        {
            var exact = Json.Annotation(annotations, Prefix + "canary-by-header-value");
            var pattern = Json.Annotation(annotations, Prefix + "canary-by-header-pattern");
            if (exact.Length > 0 ? value == exact : pattern.Length > 0 ? Patterns.Search(pattern, value) : value == "always")
            {
                return RouteDecision.To(next, point + " by header") with { Mirrors = mirrors };
            }

            if (exact.Length == 0 && pattern.Length == 0 && value == "never")
            {
                return RouteDecision.To(stable, point + " by header") with { Mirrors = mirrors };
            }
        }

        if (Json.Annotation(annotations, Prefix + "canary-by-cookie") is { Length: > 0 } cookie && request.Cookies.TryGetValue(cookie, out var cookieValue))
        {
            if (cookieValue is "always" or "never")
            {
                return RouteDecision.To(cookieValue == "always" ? next : stable, point + " by cookie") with { Mirrors = mirrors };
            }
        }

        var weight = Number(Json.Annotation(annotations, Prefix + "canary-weight"), 0);
        var total = Number(Json.Annotation(annotations, Prefix + "canary-weight-total"), 100);
        total = total <= 0 ? 100 : total;
        weight = Math.Clamp(weight, 0, total);
        return new RouteDecision(RouteOutcome.Routed, point + " by weight", [(stable, total - weight), (next, weight)], mirrors);
    }

    /// <summary>The Ingress sends to the Service (a path or its default backend).</summary>
    public static bool SendsTo(JsonObject ingress, ServiceRef service) =>
        Json.Namespace(ingress) == service.Namespace
        && (Json.Str(ingress, "spec", "defaultBackend", "service", "name") == service.Name || Paths(ingress).Any(p => p.Service == service.Name));

    /// <summary>The host and path of the first path sending to the Service (what its clients ask for by default).</summary>
    public static (string Host, string Path) EntryTo(JsonObject ingress, ServiceRef service) =>
        Paths(ingress).FirstOrDefault(p => p.Service == service.Name) is { Service: not null } found ? (found.Host, found.Path.Length == 0 ? "/" : found.Path) : ("", "/");

    private static ServiceRef? MirrorService(string url, string ns)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var end = rest.IndexOfAny([':', '/', '$', '?']);
        var host = end < 0 ? rest : rest[..end];
        return host.Length == 0 ? null : VirtualServiceRouting.Service(host, ns);
    }

    private static (string Host, string Path, string Service)? Location(JsonObject ingress, string host, string path)
    {
        (string Host, string Path, string Service, int Rank)? best = null;
        foreach (var candidate in Paths(ingress))
        {
            if (candidate.Host.Length > 0 && host.Length > 0 && !Patterns.Host(candidate.Host, host))
            {
                continue;
            }

            var matches = candidate.Type == "Exact" ? path == candidate.Path : Patterns.PathPrefix(candidate.Path.Length == 0 ? "/" : candidate.Path, path);
            var rank = candidate.Path.TrimEnd('/').Length * 2 + (candidate.Type == "Exact" ? 1 : 0);
            if (matches && (best is null || rank > best.Value.Rank))
            {
                best = (candidate.Host, candidate.Path, candidate.Service, rank);
            }
        }

        if (best is { } found)
        {
            return (found.Host, found.Path, found.Service);
        }

        return Json.Str(ingress, "spec", "defaultBackend", "service", "name") is { Length: > 0 } fallback ? ("", "*", fallback) : null;
    }

    private static IEnumerable<(string Host, string Path, string Type, string Service)> Paths(JsonObject ingress) =>
        (Json.At(ingress, "spec", "rules") as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(rule => (Json.At(rule, "http", "paths") as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => (Json.Str(rule, "host"), Json.Str(p, "path"), Json.Str(p, "pathType"), Json.Str(p, "backend", "service", "name"))));

    private static int Number(string text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
