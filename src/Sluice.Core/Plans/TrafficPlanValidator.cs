using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Api;

namespace Sluice.Core.Plans;

/// <summary>
/// Validates the traffic fields of a plan (spec traffic.md): <c>trafficRouting</c>, <c>blueGreen</c> and each batch's
/// <c>traffic</c>, <c>matches</c>, <c>mirror</c> and <c>pause</c>. Pure; every error names the field path and the value,
/// in kube-apiserver's words (Required value, Invalid value, Forbidden, Duplicate value). A plan without these fields
/// has no errors. What depends on a router's kind (can it express these matches, this mirror?) is checked by
/// <see cref="Engine.TrafficCapabilityCheck"/>; what depends on the plan's shape (defaulted weights) by
/// <see cref="TrafficWeights.Effective"/>.
/// </summary>
public static class TrafficPlanValidator
{
    private const string Plan = "spec.rolloutPlan";

    private static readonly Regex Dns1035Label = new("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex Dns1123Subdomain = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex HttpToken = new(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex CookieValue = new("^[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]+$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Every error of the traffic fields, in field order; empty when they are valid (or absent).</summary>
    public static IReadOnlyList<PlanError> Validate(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanError>();
        if (plan.TrafficRouting is { } routing)
        {
            ValidateRouting(routing, errors);
        }

        if (plan.BlueGreen is { } blueGreen)
        {
            ValidateBlueGreen(plan, blueGreen, errors);
        }

        var batches = plan.RolloutBatches ?? [];
        (int Index, int Percent, string Text)? previous = null;
        for (var i = 0; i < batches.Count; i++)
        {
            var batch = batches[i];
            var at = $"{Plan}.rolloutBatches[{i}]";
            CheckNeedsRouter(plan, batch, at, errors);
            if (batch.Traffic is { } traffic)
            {
                if (!TrafficPercent.TryParse(traffic, out var percent))
                {
                    errors.Add(Invalid($"{at}.traffic", Quote(traffic), "want a whole percent from \"0%\" to \"100%\", e.g. \"10%\""));
                }
                else
                {
                    if (previous is { } before && percent < before.Percent)
                    {
                        errors.Add(Invalid($"{at}.traffic", Quote(traffic),
                            $"is below the previous batch's {Quote(before.Text)} (rolloutBatches[{before.Index}].traffic): weights never go down"));
                    }

                    if (i == batches.Count - 1 && percent != 100)
                    {
                        errors.Add(Invalid($"{at}.traffic", Quote(traffic), "the last batch always sends 100% of requests to the target: give \"100%\" or leave it out"));
                    }

                    previous = (i, percent, traffic);
                }
            }

            if (batch.Mirror is { } mirror && !TrafficPercent.TryParse(mirror, out _))
            {
                errors.Add(Invalid($"{at}.mirror", Quote(mirror), "want a whole percent of requests to copy from \"0%\" to \"100%\", e.g. \"20%\""));
            }

            for (var m = 0; m < (batch.Matches?.Count ?? 0); m++)
            {
                ValidateMatch(batch.Matches![m], $"{at}.matches[{m}]", errors);
            }

            if (batch.Pause is { Duration: { } duration } && !PauseDuration.TryParse(duration, out _))
            {
                errors.Add(Invalid($"{at}.pause.duration", Quote(duration),
                    "want a duration such as \"30s\", \"5m\" or \"1h30m\" (units ms, s, m, h; at most a year), or pause: {} to hold until promoted"));
            }
        }

        return errors;
    }

    /// <summary>
    /// Blue/green needs two workloads side by side: Deployments (one per revision) and CloneSets (a second CloneSet per
    /// revision). A StatefulSet keeps stable identities and a DaemonSet one pod per node, so neither can run two
    /// revisions at full size beside each other. Null when <paramref name="workloadKind"/> may be rolled out this way.
    /// </summary>
    public static PlanError? ValidateWorkloadKind(RolloutPlan plan, string workloadKind)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.BlueGreen is null)
        {
            return null;
        }

        var why = workloadKind switch
        {
            "StatefulSet" => "a StatefulSet's pods keep stable names and volumes, so a second full set cannot run beside the first",
            "DaemonSet" => "a DaemonSet runs one pod per node, so a second full set cannot run beside the first",
            "Deployment" or "CloneSet" => null,
            _ => $"blue/green needs two workloads side by side, which Sluice knows how to do for Deployments and CloneSets only, not {workloadKind}",
        };
        return why is null ? null : new PlanError($"{Plan}.blueGreen", $"{Plan}.blueGreen: Forbidden: blue/green is not supported for a {workloadKind}: {why}");
    }

    private static void ValidateRouting(TrafficRouting routing, List<PlanError> errors)
    {
        var at = $"{Plan}.trafficRouting";
        if (string.IsNullOrEmpty(routing.Service))
        {
            errors.Add(new PlanError($"{at}.service", $"{at}.service: Required value: the Service clients use (the stable Service)"));
        }
        else
        {
            ServiceName($"{at}.service", routing.Service, errors);
        }

        if (routing.CanaryService is { } canary)
        {
            ServiceName($"{at}.canaryService", canary, errors);
            if (canary == routing.Service)
            {
                errors.Add(Invalid($"{at}.canaryService", Quote(canary), "must differ from service: the canary Service selects only target pods"));
            }
        }

        if (routing.GatewayApi is { } gateway)
        {
            var routes = gateway.HttpRoutes ?? [];
            if (routes.Count == 0)
            {
                errors.Add(new PlanError($"{at}.gatewayAPI.httpRoutes", $"{at}.gatewayAPI.httpRoutes: Required value: name at least one HTTPRoute"));
            }

            Names($"{at}.gatewayAPI.httpRoutes", routes, errors);
        }

        if (routing.Istio is { } istio)
        {
            var services = istio.VirtualServices ?? [];
            if (services.Count == 0)
            {
                errors.Add(new PlanError($"{at}.istio.virtualServices", $"{at}.istio.virtualServices: Required value: name at least one VirtualService"));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var v = 0; v < services.Count; v++)
            {
                var field = $"{at}.istio.virtualServices[{v}]";
                var name = services[v].Name;
                if (string.IsNullOrEmpty(name))
                {
                    errors.Add(new PlanError($"{field}.name", $"{field}.name: Required value: the VirtualService's name"));
                }
                else if (!Dns1123Subdomain.IsMatch(name) || name.Length > 253)
                {
                    errors.Add(Invalid($"{field}.name", Quote(name), "not a valid object name (lowercase letters, digits, '-' and '.')"));
                }
                else if (!seen.Add(name))
                {
                    errors.Add(new PlanError($"{field}.name", $"{field}.name: Duplicate value: {Quote(name)}"));
                }

                var routeNames = services[v].Routes ?? [];
                var seenRoutes = new HashSet<string>(StringComparer.Ordinal);
                for (var r = 0; r < routeNames.Count; r++)
                {
                    if (string.IsNullOrEmpty(routeNames[r]))
                    {
                        errors.Add(Invalid($"{field}.routes[{r}]", "\"\"", "an http route's name"));
                    }
                    else if (!seenRoutes.Add(routeNames[r]))
                    {
                        errors.Add(new PlanError($"{field}.routes[{r}]", $"{field}.routes[{r}]: Duplicate value: {Quote(routeNames[r])}"));
                    }
                }
            }
        }

        if (routing.Nginx is { } nginx)
        {
            if (string.IsNullOrEmpty(nginx.Ingress))
            {
                errors.Add(new PlanError($"{at}.nginx.ingress", $"{at}.nginx.ingress: Required value: the Ingress (class nginx) that targets the service"));
            }
            else if (!Dns1123Subdomain.IsMatch(nginx.Ingress) || nginx.Ingress.Length > 253)
            {
                errors.Add(Invalid($"{at}.nginx.ingress", Quote(nginx.Ingress), "not a valid object name (lowercase letters, digits, '-' and '.')"));
            }
        }
    }

    private static void ValidateBlueGreen(RolloutPlan plan, BlueGreen blueGreen, List<PlanError> errors)
    {
        var at = $"{Plan}.blueGreen";
        if (string.IsNullOrEmpty(blueGreen.ActiveService))
        {
            errors.Add(new PlanError($"{at}.activeService", $"{at}.activeService: Required value: the Service clients use"));
        }
        else
        {
            ServiceName($"{at}.activeService", blueGreen.ActiveService, errors);
        }

        if (blueGreen.PreviewService is { } preview)
        {
            ServiceName($"{at}.previewService", preview, errors);
            if (preview == blueGreen.ActiveService)
            {
                errors.Add(Invalid($"{at}.previewService", Quote(preview), "must differ from activeService: the preview Service selects the target while the active one selects the source"));
            }
        }

        if (blueGreen.AutoPromotionSeconds is < 0)
        {
            errors.Add(Invalid($"{at}.autoPromotionSeconds", Number(blueGreen.AutoPromotionSeconds.Value), "must be greater than or equal to 0"));
        }

        if (blueGreen.ScaleDownDelaySeconds is < 0)
        {
            errors.Add(Invalid($"{at}.scaleDownDelaySeconds", Number(blueGreen.ScaleDownDelaySeconds.Value), "must be greater than or equal to 0"));
        }

        if (plan.TrafficRouting is not null)
        {
            errors.Add(new PlanError($"{Plan}.trafficRouting",
                $"{Plan}.trafficRouting: Forbidden: blue/green (spec.rolloutPlan.blueGreen) switches Services in one write and cannot be combined with trafficRouting weights; give one or the other"));
        }
    }

    /// <summary>traffic, matches and mirror need a router that can express them.</summary>
    private static void CheckNeedsRouter(RolloutPlan plan, RolloutBatch batch, string at, List<PlanError> errors)
    {
        var asked = new List<(string Field, string Value)>();
        if (batch.Traffic is { } traffic)
        {
            asked.Add(("traffic", Quote(traffic)));
        }

        if (batch.Matches is { Count: > 0 } matches)
        {
            asked.Add(("matches", $"{matches.Count} {(matches.Count == 1 ? "entry" : "entries")}"));
        }

        if (batch.Mirror is { } mirror)
        {
            asked.Add(("mirror", Quote(mirror)));
        }

        foreach (var (field, value) in asked)
        {
            string? why = null;
            if (plan.BlueGreen is not null)
            {
                why = "blue/green (spec.rolloutPlan.blueGreen) switches Services in one write; weights, matches and mirrors need trafficRouting instead";
            }
            else if (plan.TrafficRouting is null)
            {
                why = "it needs spec.rolloutPlan.trafficRouting naming the Service and a router (gatewayAPI, istio or nginx)";
            }
            else if (!plan.TrafficRouting.HasRouter)
            {
                why = "trafficRouting names no router (gatewayAPI, istio or nginx): with Services alone traffic follows the pods";
            }

            if (why is not null)
            {
                errors.Add(new PlanError($"{at}.{field}", $"{at}.{field}: Forbidden: {value}: {why}"));
            }
        }
    }

    private static void ValidateMatch(TrafficMatch match, string at, List<PlanError> errors)
    {
        var headers = match.Headers ?? [];
        var queryParams = match.QueryParams ?? [];
        if (headers.Count == 0 && match.Cookie is null && queryParams.Count == 0)
        {
            errors.Add(new PlanError(at, $"{at}: Required value: give at least one of headers, cookie or queryParams"));
        }

        for (var h = 0; h < headers.Count; h++)
        {
            var header = headers[h];
            var field = $"{at}.headers[{h}]";
            if (string.IsNullOrEmpty(header.Name))
            {
                errors.Add(new PlanError($"{field}.name", $"{field}.name: Required value: the header's name"));
            }
            else if (!HttpToken.IsMatch(header.Name))
            {
                errors.Add(Invalid($"{field}.name", Quote(header.Name), "not a valid HTTP header name"));
            }

            var given = new[] { ("exact", header.Exact), ("prefix", header.Prefix), ("regex", header.Regex) }.Where(g => g.Item2 is not null).ToList();
            if (given.Count != 1)
            {
                errors.Add(new PlanError(field, $"{field}: Invalid value: {(given.Count == 0 ? "none" : string.Join(" and ", given.Select(g => g.Item1)))}: give exactly one of exact, prefix or regex"));
            }

            if (header.Regex is { } pattern && !Compiles(pattern, out var problem))
            {
                errors.Add(Invalid($"{field}.regex", Quote(pattern), $"not a regular expression: {problem}"));
            }
        }

        if (match.Cookie is { } cookie)
        {
            var field = $"{at}.cookie";
            if (string.IsNullOrEmpty(cookie.Name))
            {
                errors.Add(new PlanError($"{field}.name", $"{field}.name: Required value: the cookie's name"));
            }
            else if (!HttpToken.IsMatch(cookie.Name))
            {
                errors.Add(Invalid($"{field}.name", Quote(cookie.Name), "not a valid cookie name"));
            }

            if (string.IsNullOrEmpty(cookie.Value))
            {
                errors.Add(new PlanError($"{field}.value", $"{field}.value: Required value: the cookie's value"));
            }
            else if (!CookieValue.IsMatch(cookie.Value))
            {
                errors.Add(Invalid($"{field}.value", Quote(cookie.Value), "not a valid cookie value (no spaces, quotes, commas, semicolons or backslashes)"));
            }
        }

        for (var q = 0; q < queryParams.Count; q++)
        {
            var field = $"{at}.queryParams[{q}]";
            if (string.IsNullOrEmpty(queryParams[q].Name))
            {
                errors.Add(new PlanError($"{field}.name", $"{field}.name: Required value: the query parameter's name"));
            }

            if (queryParams[q].Exact is null)
            {
                errors.Add(new PlanError($"{field}.exact", $"{field}.exact: Required value: the value the query parameter must have"));
            }
        }
    }

    private static void ServiceName(string field, string name, List<PlanError> errors)
    {
        if (!Dns1035Label.IsMatch(name) || name.Length > 63)
        {
            errors.Add(Invalid(field, Quote(name), "not a valid Service name (at most 63 lowercase letters, digits and '-', starting with a letter)"));
        }
    }

    private static void Names(string field, IReadOnlyList<string> names, List<PlanError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (string.IsNullOrEmpty(name) || !Dns1123Subdomain.IsMatch(name) || name.Length > 253)
            {
                errors.Add(Invalid($"{field}[{i}]", Quote(name ?? ""), "not a valid object name (lowercase letters, digits, '-' and '.')"));
            }
            else if (!seen.Add(name))
            {
                errors.Add(new PlanError($"{field}[{i}]", $"{field}[{i}]: Duplicate value: {Quote(name)}"));
            }
        }
    }

    private static bool Compiles(string pattern, out string problem)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            problem = "";
            return true;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static PlanError Invalid(string field, string value, string why) => new(field, $"{field}: Invalid value: {value}: {why}");

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
