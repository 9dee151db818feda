using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// What must hold of an AnalysisRun's spec before its first measurement: at least one metric, each valid and
/// self-contained (<see cref="MetricValidation"/>, templates inlined), every template variable present in
/// <c>spec.variables</c>, and sane thresholds. A run that fails this ends in phase Error with every reason.
/// </summary>
public static class AnalysisRunValidation
{
    public static IReadOnlyList<AnalysisError> Validate(AnalysisRunSpec spec, IConditionChecker? conditions)
    {
        var metrics = spec.Metrics ?? [];
        if (metrics.Count == 0)
        {
            return [new AnalysisError("spec.metrics", "spec.metrics: Required value: a run measures at least one metric")];
        }

        var errors = MetricValidation.Validate(metrics, "spec.metrics", conditions, resolved: true).ToList();
        var variables = spec.Variables ?? new Dictionary<string, string>();
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            var values = MetricVariables.ValuesFor(metric, variables, metric.Judge is null ? null : "revision");
            foreach (var (field, template) in Templates(metric))
            {
                if (QueryTemplate.Render(template, values, out var error) is null && !errors.Any(e => e.Field == $"spec.metrics[{i}].{field}"))
                {
                    errors.Add(new AnalysisError($"spec.metrics[{i}].{field}", $"spec.metrics[{i}].{field}: {error}: not in spec.variables ({string.Join(", ", variables.Keys.Order(StringComparer.Ordinal))}) nor the metric's args"));
                }
            }
        }

        if (spec.PauseSeconds is < 0)
        {
            errors.Add(new AnalysisError("spec.pauseSeconds", $"spec.pauseSeconds: Invalid value: {spec.PauseSeconds}: must not be negative"));
        }

        if (spec.ScoreThresholds is { } thresholds && !(thresholds.EffectiveMarginal >= 0 && thresholds.EffectiveMarginal <= thresholds.EffectivePass && thresholds.EffectivePass <= 100))
        {
            errors.Add(new AnalysisError("spec.scoreThresholds", $"spec.scoreThresholds: Invalid value: pass {thresholds.EffectivePass}, marginal {thresholds.EffectiveMarginal}: want 0 <= marginal <= pass <= 100"));
        }

        return errors;
    }

    private static IEnumerable<(string Field, string Template)> Templates(CanaryMetric metric)
    {
        if (metric.Provider?.Prometheus is { } p)
        {
            if (p.Query is not null)
            {
                yield return ("provider.prometheus.query", p.Query);
            }

            if (p.Address is not null)
            {
                yield return ("provider.prometheus.address", p.Address);
            }
        }

        if (metric.Provider?.Web is { } w)
        {
            if (w.Url is not null)
            {
                yield return ("provider.web.url", w.Url);
            }

            if (w.Body is not null)
            {
                yield return ("provider.web.body", w.Body);
            }

            foreach (var (name, value) in w.Headers ?? new Dictionary<string, string>())
            {
                yield return ($"provider.web.headers[{name}]", value);
            }
        }
    }
}
