using System.Globalization;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Operations;

namespace Sluice.Controllers.Operations;

/// <summary>
/// A <see cref="TrafficPicture"/> in words, shared by the CLI's views and the dashboard so that both say the same thing:
/// where each route sends its requests (Service and revision), whom its matches and mirror reach, what each Service
/// selects, and the live share per revision. Pure.
/// </summary>
public static class TrafficText
{
    /// <summary>"10% → web-canary (shop-v2), 90% → web (shop-v1)", or "missing" for a route that does not exist.</summary>
    public static string Split(RouteSnapshot route, TrafficPicture picture)
    {
        if (!route.Exists)
        {
            return "missing";
        }

        var canary = Describe(picture, ServiceRole.Canary);
        var stable = Describe(picture, ServiceRole.Stable);
        return route.Weight switch
        {
            <= 0 => $"100% → {stable}",
            >= 100 => $"100% → {canary}",
            var w => $"{w}% → {canary}, {100 - w}% → {stable}",
        };
    }

    /// <summary>"mirror 20% → web-canary (shop-v2)", or null without a mirror.</summary>
    public static string? Mirror(RouteSnapshot route, TrafficPicture picture) =>
        route.Exists && route.Mirror > 0 ? $"mirror {route.Mirror}% → {Describe(picture, ServiceRole.Canary)}" : null;

    /// <summary>"header x-beta = true, or cookie beta=always → web-canary (shop-v2)", or null without matches.</summary>
    public static string? MatchLine(RouteSnapshot route, TrafficPicture picture) =>
        route.Exists && route.Matches.Count > 0 ? $"{Matches(route.Matches)} → {Describe(picture, ServiceRole.Canary)}" : null;

    /// <summary>Each entry's conditions joined by "and", the entries by ", or ".</summary>
    public static string Matches(IReadOnlyList<TrafficMatch> matches) =>
        string.Join(", or ", matches.Select(Match));

    public static string Match(TrafficMatch match)
    {
        var conditions = new List<string>();
        foreach (var header in match.Headers ?? [])
        {
            conditions.Add(header switch
            {
                { Exact: { } exact } => $"header {header.Name} = {exact}",
                { Prefix: { } prefix } => $"header {header.Name} starts with {prefix}",
                { Regex: { } regex } => $"header {header.Name} ~ /{regex}/",
                _ => $"header {header.Name}",
            });
        }

        if (match.Cookie is { } cookie)
        {
            conditions.Add($"cookie {cookie.Name}={cookie.Value}");
        }

        foreach (var query in match.QueryParams ?? [])
        {
            conditions.Add($"query {query.Name}={query.Exact}");
        }

        return conditions.Count == 0 ? "every request" : string.Join(" and ", conditions);
    }

    /// <summary>"shop-v1, 4 ready pods"; "none now" for a canary or preview Service, which exists only while the rollout routes traffic.</summary>
    public static string Service(ServiceSnapshot service, TrafficPicture picture) =>
        !service.Exists
            ? service.Role is ServiceRole.Canary or ServiceRole.Preview ? "none now (it exists only while the rollout routes traffic)" : "missing"
            : $"{picture.RevisionOf(service.SelectedHash)}, {service.ReadyPods} ready pod{(service.ReadyPods == 1 ? "" : "s")}";

    /// <summary>"web-canary (shop-v2)": a Service by role, with the revision it selects.</summary>
    public static string Describe(TrafficPicture picture, ServiceRole role)
    {
        var service = picture.Observed.Service(role);
        return service is null ? role.ToString().ToLowerInvariant()
            : service.Exists ? $"{service.Name} ({picture.RevisionOf(service.SelectedHash)})"
            : service.Name;
    }

    /// <summary>
    /// "shop-v2 10.0%, shop-v1 90.0%": each revision's share (with its 5xx share when it answered errors, and what it
    /// was mirrored); "no requests yet" before any.
    /// </summary>
    public static string Shares(LiveShare live)
    {
        if (live.Requests == 0 || live.Revisions.Count == 0)
        {
            return "no requests yet since the routing changed";
        }

        var parts = live.Revisions.Select(r =>
        {
            var text = r.Answered > 0 ? $"{r.Revision} {Percent(r.Percent)}" : r.Revision;
            if (r.Errors > 0)
            {
                text += $" ({Percent(r.ErrorPercent)} 5xx)";
            }

            if (r.MirroredPercent > 0)
            {
                text += $" (+{Percent(r.MirroredPercent)} mirrored)";
            }

            return text;
        });
        var failed = live.FailedByRollout > 0 ? $", {live.FailedByRollout.ToString("N0", CultureInfo.InvariantCulture)} failed for want of a ready pod" : "";
        return string.Join(", ", parts) + failed;
    }

    /// <summary>"2,000 requests over 10s since the routing changed".</summary>
    public static string Window(LiveShare live) =>
        $"{live.Requests.ToString("N0", CultureInfo.InvariantCulture)} requests over {Seconds(live.Over)} since the routing changed";

    /// <summary>What to say when the data plane counts nothing for the rollout's Service.</summary>
    public static string NoClients(TrafficPicture picture) =>
        $"no simulated client sends to Service {picture.Service} (annotate it with sim.sluice.dev/rps)";

    public static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s" : $"{span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)}m";
}
