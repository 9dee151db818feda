using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Engine;

/// <summary>
/// Whether a router can express what a plan's batches ask (weights, matches, mirror): pure, run in <c>verifyingSpec</c>
/// for every router the plan names, before anything is touched. Each error names the batch's field, the router and why.
/// </summary>
public static class TrafficCapabilityCheck
{
    /// <param name="router">How people know the router, e.g. <c>NGINX Ingress "web"</c>.</param>
    public static IReadOnlyList<PlanError> Check(RolloutPlan plan, string router, TrafficCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(capabilities);
        var errors = new List<PlanError>();
        var batches = plan.RolloutBatches ?? [];
        for (var i = 0; i < batches.Count; i++)
        {
            var at = $"spec.rolloutPlan.rolloutBatches[{i}]";
            var batch = batches[i];
            if (batch.Traffic is { } traffic && !capabilities.Weights)
            {
                errors.Add(Forbidden($"{at}.traffic", $"\"{traffic}\": {router} cannot send a share of requests"));
            }

            CheckMatches(batch.Matches ?? [], at, router, capabilities, errors);
            if (batch.Mirror is { } mirror && TrafficPercent.TryParse(mirror, out var percent) && percent > 0)
            {
                switch (capabilities.Mirror)
                {
                    case MirrorSupport.None:
                        errors.Add(Forbidden($"{at}.mirror", $"\"{mirror}\": {router} cannot mirror requests"));
                        break;
                    case MirrorSupport.AllOrNothing when percent != 100:
                        errors.Add(Forbidden($"{at}.mirror", $"\"{mirror}\": {router} mirrors every request or none: give \"100%\" or no mirror"));
                        break;
                }
            }
        }

        return errors;
    }

    private static void CheckMatches(IReadOnlyList<TrafficMatch> matches, string at, string router, TrafficCapabilities capabilities, List<PlanError> errors)
    {
        int headers = 0, cookies = 0;
        for (var m = 0; m < matches.Count; m++)
        {
            var field = $"{at}.matches[{m}]";
            var match = matches[m];
            var conditions = (match.Headers?.Count ?? 0) + (match.Cookie is null ? 0 : 1) + (match.QueryParams?.Count ?? 0);
            if (conditions > 1 && !capabilities.CombinedConditions)
            {
                errors.Add(Forbidden(field, $"{conditions} conditions in one entry: {router} cannot require several together; give each condition its own entry (requests matching any entry go to the target)"));
            }

            for (var h = 0; h < (match.Headers?.Count ?? 0); h++)
            {
                var header = match.Headers![h];
                headers++;
                var (kind, supported) = header switch
                {
                    { Exact: not null } => ("exact", capabilities.HeaderExact),
                    { Prefix: not null } => ("prefix", capabilities.HeaderPrefix),
                    { Regex: not null } => ("regex", capabilities.HeaderRegex),
                    _ => ("", true),
                };
                if (!supported)
                {
                    errors.Add(Forbidden($"{field}.headers[{h}].{kind}", $"{router} cannot match a header by {kind}"));
                }
            }

            if (match.Cookie is { } cookie)
            {
                cookies++;
                if (!capabilities.Cookie)
                {
                    errors.Add(Forbidden($"{field}.cookie", $"{router} cannot match on cookies"));
                }
                else if (capabilities.CookieValue is { } only && cookie.Value != only)
                {
                    errors.Add(Forbidden($"{field}.cookie.value", $"\"{cookie.Value}\": {router} only sends a cookie whose value is \"{only}\" to the target"));
                }
            }

            if (match.QueryParams is { Count: > 0 } && !capabilities.QueryParams)
            {
                errors.Add(Forbidden($"{field}.queryParams", $"{router} cannot match on query parameters"));
            }
        }

        if (capabilities.MaxHeaders is { } maxHeaders && headers > maxHeaders)
        {
            errors.Add(Forbidden($"{at}.matches", $"{headers} header conditions: {router} can match on at most {maxHeaders} header"));
        }

        if (capabilities.MaxCookies is { } maxCookies && cookies > maxCookies)
        {
            errors.Add(Forbidden($"{at}.matches", $"{cookies} cookie conditions: {router} can match on at most {maxCookies} cookie"));
        }
    }

    private static PlanError Forbidden(string field, string why) => new(field, $"{field}: Forbidden: {why}");
}
