using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// Everything about a list of metrics that can be wrong before anything is measured, each error naming its field
/// (<c>spec.rolloutPlan.canaryMetric[0].provider</c>) and the value: missing or duplicate names, unknown fields,
/// unknown providers, a missing query or url, unreadable durations, negative limits, <c>metricsRange</c> with min
/// above max, unknown template variables, a judge without a prometheus range, and (given a checker) conditions that
/// do not compile. The rollout's verifyingSpec calls <see cref="ValidatePlan"/>; the AnalysisRun controller
/// <see cref="Validate"/> with <c>resolved: true</c> on a run's own metrics.
/// </summary>
public static class MetricValidation
{
    /// <summary>The plan's metrics and every batch's; a batch metric may not reuse a plan metric's name (they share a run).</summary>
    public static IReadOnlyList<AnalysisError> ValidatePlan(RolloutPlan plan, IConditionChecker? conditions)
    {
        const string root = "spec.rolloutPlan";
        var errors = Validate(plan.CanaryMetric ?? [], $"{root}.canaryMetric", conditions, resolved: false).ToList();
        var planNames = (plan.CanaryMetric ?? []).Select(m => m.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var batches = plan.RolloutBatches ?? [];
        for (var b = 0; b < batches.Count; b++)
        {
            var metrics = batches[b].CanaryMetric ?? [];
            var path = $"{root}.rolloutBatches[{b}].canaryMetric";
            errors.AddRange(Validate(metrics, path, conditions, resolved: false));
            for (var i = 0; i < metrics.Count; i++)
            {
                if (metrics[i].Name is { } name && planNames.Contains(name))
                {
                    errors.Add(Error($"{path}[{i}].name", $"Duplicate value: \"{name}\": spec.rolloutPlan.canaryMetric has a metric of that name; a batch's metrics and the plan's are measured together"));
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Errors in <paramref name="metrics"/>, found under <paramref name="path"/>. With <paramref name="resolved"/> (an
    /// AnalysisRun's metrics) a templateRef must already be inlined.
    /// </summary>
    public static IReadOnlyList<AnalysisError> Validate(IReadOnlyList<CanaryMetric> metrics, string path, IConditionChecker? conditions, bool resolved)
    {
        var errors = new List<AnalysisError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            var f = $"{path}[{i}]";
            if (string.IsNullOrWhiteSpace(metric.Name))
            {
                errors.Add(Error($"{f}.name", "Required value"));
            }
            else if (!seen.Add(metric.Name))
            {
                errors.Add(Error($"{f}.name", $"Duplicate value: \"{metric.Name}\""));
            }

            foreach (var key in (metric.Extra?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
            {
                errors.Add(Error($"{f}.{key}", "unknown field"));
            }

            errors.AddRange(ValidateOne(metric, f, conditions, resolved));
        }

        return errors;
    }

    private static IEnumerable<AnalysisError> ValidateOne(CanaryMetric metric, string f, IConditionChecker? conditions, bool resolved)
    {
        var name = metric.Name ?? "?";
        if (metric.Interval is { } interval && (!GoDuration.TryParse(interval, out var span) || span <= TimeSpan.Zero))
        {
            yield return Error($"{f}.interval", $"Invalid value: \"{interval}\": want a positive duration such as 30s, 1m or 1h30m");
        }

        if (metric.InitialDelay is { } delay && !GoDuration.TryParse(delay, out _))
        {
            yield return Error($"{f}.initialDelay", $"Invalid value: \"{delay}\": want a duration such as 30s or 1m");
        }

        if (metric.Count is < 1)
        {
            yield return Error($"{f}.count", $"Invalid value: {metric.Count}: must be at least 1");
        }

        foreach (var (field, limit) in new (string, int?)[] { ("failureLimit", metric.FailureLimit), ("inconclusiveLimit", metric.InconclusiveLimit), ("consecutiveErrorLimit", metric.ConsecutiveErrorLimit) })
        {
            if (limit is < 0)
            {
                yield return Error($"{f}.{field}", $"Invalid value: {limit}: must not be negative");
            }
        }

        if (metric.MetricsRange is { } range)
        {
            double lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            if (range.Min is { } min && !min.TryNumber(out lo))
            {
                yield return Error($"{f}.metricsRange.min", $"Invalid value: \"{min}\": want a number");
            }

            if (range.Max is { } max && !max.TryNumber(out hi))
            {
                yield return Error($"{f}.metricsRange.max", $"Invalid value: \"{max}\": want a number");
            }

            if (lo > hi)
            {
                yield return Error($"{f}.metricsRange", $"Invalid value: min {range.Min} is above max {range.Max}");
            }

            if (metric.SuccessCondition is not null)
            {
                yield return Error($"{f}.metricsRange", "Invalid value: metricsRange is shorthand for a success condition; give it or successCondition, not both");
            }
        }

        foreach (var error in ValidateSource(metric, f, resolved))
        {
            yield return error;
        }

        var hasTemplate = metric.TemplateRef is not null;
        var hasCondition = metric.SuccessCondition is not null || metric.FailureCondition is not null || metric.MetricsRange is not null;
        if (metric.Judge is { } judge)
        {
            foreach (var error in ValidateJudge(metric, judge, f, hasCondition))
            {
                yield return error;
            }
        }
        else if (!hasCondition && !hasTemplate && !metric.IsDryRun)
        {
            yield return Error($"{f}.successCondition", $"Required value: metric \"{name}\" needs successCondition, failureCondition, metricsRange or judge (or dryRun to only record)");
        }

        foreach (var (field, expression) in new (string, string?)[] { ("successCondition", metric.SuccessCondition), ("failureCondition", metric.FailureCondition) })
        {
            if (expression is null)
            {
                continue;
            }

            var problem = string.IsNullOrWhiteSpace(expression) ? "empty expression" : conditions?.Check(expression);
            if (problem is not null)
            {
                yield return Error($"{f}.{field}", $"Invalid value: \"{expression}\": metric \"{name}\": {problem}");
            }
        }
    }

    private static IEnumerable<AnalysisError> ValidateSource(CanaryMetric metric, string f, bool resolved)
    {
        if (metric.TemplateRef is { } reference)
        {
            if (resolved)
            {
                yield return Error($"{f}.templateRef", $"Invalid value: \"{reference.Name}\": an AnalysisRun's metrics must have their templates inlined (build runs with AnalysisRunBuilder)");
            }

            if (reference.Kind is { } kind && kind != MetricTemplate.KindName)
            {
                yield return Error($"{f}.templateRef.kind", $"Unsupported value: \"{kind}\": supported values: \"{MetricTemplate.KindName}\"");
            }

            if (string.IsNullOrWhiteSpace(reference.Name))
            {
                yield return Error($"{f}.templateRef.name", "Required value");
            }

            if (metric.Provider is not null)
            {
                yield return Error($"{f}.provider", "Invalid value: give a provider or a templateRef, not both");
            }

            yield break;
        }

        if (metric.Provider is not { } provider)
        {
            yield return Error($"{f}.provider", "Required value: a provider (prometheus or web) or a templateRef");
            yield break;
        }

        var unknown = (provider.Extra?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal).ToList();
        foreach (var key in unknown)
        {
            yield return Error($"{f}.provider", $"Unsupported value: \"{key}\": supported values: {string.Join(", ", MetricProvider.Known.Select(k => $"\"{k}\""))}");
        }

        var given = (provider.Prometheus is null ? 0 : 1) + (provider.Web is null ? 0 : 1);
        if (given == 0 && unknown.Count == 0)
        {
            yield return Error($"{f}.provider", $"Required value: one of {string.Join(", ", MetricProvider.Known.Select(k => $"\"{k}\""))}");
        }
        else if (given > 1)
        {
            yield return Error($"{f}.provider", "Invalid value: give one provider, not both prometheus and web");
        }

        var names = TemplateNames(metric);
        if (provider.Prometheus is { } prometheus)
        {
            var p = $"{f}.provider.prometheus";
            if (string.IsNullOrWhiteSpace(prometheus.Query))
            {
                yield return Error($"{p}.query", "Required value: a PromQL query");
            }
            else
            {
                foreach (var error in ValidateTemplate(prometheus.Query, $"{p}.query", names))
                {
                    yield return error;
                }
            }

            if (prometheus.Address is { } address && !IsHttpUrl(address))
            {
                yield return Error($"{p}.address", $"Invalid value: \"{address}\": want an http or https URL such as http://prometheus:9090");
            }

            if (prometheus.Step is { } step && (!GoDuration.TryParse(step, out var s) || s <= TimeSpan.Zero))
            {
                yield return Error($"{p}.step", $"Invalid value: \"{step}\": want a positive duration such as 15s");
            }

            foreach (var error in ValidateCommon(p, prometheus.TimeoutSeconds, prometheus.SecretRef))
            {
                yield return error;
            }
        }

        if (provider.Web is { } web)
        {
            var w = $"{f}.provider.web";
            if (string.IsNullOrWhiteSpace(web.Url))
            {
                yield return Error($"{w}.url", "Required value: the URL to call");
            }
            else
            {
                if (!web.Url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !web.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    yield return Error($"{w}.url", $"Invalid value: \"{web.Url}\": want an http or https URL");
                }

                foreach (var error in ValidateTemplate(web.Url, $"{w}.url", names))
                {
                    yield return error;
                }
            }

            if (web.Body is { } body)
            {
                foreach (var error in ValidateTemplate(body, $"{w}.body", names))
                {
                    yield return error;
                }
            }

            foreach (var (header, value) in web.Headers ?? new Dictionary<string, string>())
            {
                foreach (var error in ValidateTemplate(value, $"{w}.headers[{header}]", names))
                {
                    yield return error;
                }
            }

            if (web.JsonPath is { } jsonPath && JsonPathSelector.Parse(jsonPath, out var pathError) is null)
            {
                yield return Error($"{w}.jsonPath", $"Invalid value: \"{jsonPath}\": {pathError}");
            }

            foreach (var error in ValidateCommon(w, web.TimeoutSeconds, web.SecretRef))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<AnalysisError> ValidateJudge(CanaryMetric metric, MetricJudge judge, string f, bool hasCondition)
    {
        var j = $"{f}.judge";
        if (judge.Baseline is { } baseline && baseline != MetricJudge.SourceBaseline)
        {
            yield return Error($"{j}.baseline", $"Unsupported value: \"{baseline}\": supported values: \"{MetricJudge.SourceBaseline}\"");
        }

        if (judge.Confidence is { } confidence && confidence is <= 0.5 or >= 1)
        {
            yield return Error($"{j}.confidence", $"Invalid value: {confidence}: must be above 0.5 and below 1 (e.g. 0.95)");
        }

        if (judge.Tolerance is { } tolerance)
        {
            var readable = tolerance.TryPercent(out var amount) || tolerance.TryNumber(out amount);
            if (!readable || amount < 0)
            {
                yield return Error($"{j}.tolerance", $"Invalid value: \"{tolerance}\": want a percent of the source's median such as \"10%\", or a non-negative amount");
            }
        }

        if (hasCondition)
        {
            yield return Error($"{j}", "Invalid value: a judged metric compares samples; successCondition, failureCondition and metricsRange do not apply");
        }

        if (metric.TemplateRef is null && metric.Provider is { } provider)
        {
            if (provider.Prometheus is not { } prometheus)
            {
                yield return Error($"{j}", "Invalid value: the judge takes samples from prometheus range queries; give a prometheus provider");
            }
            else if (prometheus.Query is { } query && !QueryTemplate.Names(query).Contains(MetricVariables.Revision))
            {
                yield return Error($"{f}.provider.prometheus.query", $"Invalid value: \"{query}\": a judged query must use {{{{revision}}}} (the target's, then the source's)");
            }
        }
    }

    private static IEnumerable<AnalysisError> ValidateCommon(string p, int? timeoutSeconds, SecretReference? secret)
    {
        if (timeoutSeconds is < 1)
        {
            yield return Error($"{p}.timeoutSeconds", $"Invalid value: {timeoutSeconds}: must be at least 1");
        }

        if (secret is not null && string.IsNullOrWhiteSpace(secret.Name))
        {
            yield return Error($"{p}.secretRef.name", "Required value");
        }
    }

    private static IEnumerable<AnalysisError> ValidateTemplate(string template, string field, ISet<string>? known)
    {
        if (known is null)
        {
            yield break;
        }

        var values = known.ToDictionary(n => n, _ => "x", StringComparer.Ordinal);
        if (QueryTemplate.Render(template, values, out var error) is null)
        {
            yield return Error(field, $"Invalid value: \"{template}\": {error}; known: {string.Join(", ", known.Where(n => !n.StartsWith(MetricVariables.ArgsPrefix, StringComparison.Ordinal)).Select(n => $"{{{{{n}}}}}"))} and {{{{args.NAME}}}} of the metric's args");
        }
    }

    /// <summary>The names a template of this metric may use; args come from the metric (and its template once inlined).</summary>
    private static HashSet<string> TemplateNames(CanaryMetric metric)
    {
        var names = new HashSet<string>(MetricVariables.All.Where(n => n != MetricVariables.Revision || metric.Judge is not null), StringComparer.Ordinal);
        foreach (var arg in metric.Args?.Keys ?? Enumerable.Empty<string>())
        {
            names.Add(MetricVariables.ArgsPrefix + arg);
        }

        return names;
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static AnalysisError Error(string field, string message) => new(field, $"{field}: {message}");
}
