using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>How a metric and the template it names become one self-contained metric.</summary>
public static class MetricTemplates
{
    /// <summary>
    /// The metric with the template's provider, and the template's conditions unless the metric has its own
    /// (a successCondition, failureCondition, metricsRange or judge: then only the metric's apply). Args: the
    /// template's as defaults, the metric's over them. The templateRef is dropped.
    /// Example: templateRef request-success-rate + metricsRange {min: 99} measures the template's query against 99.
    /// </summary>
    public static CanaryMetric Inline(CanaryMetric metric, MetricTemplateSpec template)
    {
        var own = metric.SuccessCondition is not null || metric.FailureCondition is not null || metric.MetricsRange is not null || metric.Judge is not null;
        var args = new Dictionary<string, string>(template.Args ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in metric.Args ?? new Dictionary<string, string>())
        {
            args[key] = value;
        }

        return metric with
        {
            TemplateRef = null,
            Provider = template.Provider,
            SuccessCondition = own ? metric.SuccessCondition : template.SuccessCondition,
            FailureCondition = own ? metric.FailureCondition : template.FailureCondition,
            MetricsRange = own ? metric.MetricsRange : template.MetricsRange,
            Args = args.Count == 0 ? null : args,
        };
    }

    /// <summary>Where a reference is looked for, in order: its own namespace, or the rollout's and then the system namespace.</summary>
    public static IReadOnlyList<string> SearchNamespaces(MetricTemplateReference reference, string rolloutNamespace) =>
        !string.IsNullOrEmpty(reference.Namespace) ? [reference.Namespace]
        : rolloutNamespace == MetricTemplate.SystemNamespace ? [rolloutNamespace]
        : [rolloutNamespace, MetricTemplate.SystemNamespace];
}
