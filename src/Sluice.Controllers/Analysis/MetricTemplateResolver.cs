using System.Text.Json;
using Sluice.Controllers.Kube;
using Sluice.Core.Analysis;
using Sluice.Core.Api;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// Reads the MetricTemplates a rollout's metrics name (in the reference's namespace, else the rollout's, then
/// vela-system) for <see cref="AnalysisRunBuilder"/>, and checks a whole plan for verifyingSpec: the metrics as
/// written, the templates they name, and the metrics with their templates inlined (a template's own query and
/// conditions), every error naming the metric's field, found before anything is touched.
/// </summary>
public sealed class MetricTemplateResolver(IKubeApi api, IConditionChecker conditions)
{
    /// <summary>Every error of the plan's metrics; the templates found, to build runs with (by <see cref="AnalysisRunBuilder.TemplateKey"/>).</summary>
    public async Task<(IReadOnlyDictionary<string, MetricTemplateSpec> Templates, IReadOnlyList<AnalysisError> Errors)> VerifyPlanAsync(
        RolloutPlan plan, string rolloutNamespace, CancellationToken cancellationToken)
    {
        var errors = MetricValidation.ValidatePlan(plan, conditions).ToList();
        var (templates, missing) = await ResolvePlanAsync(plan, rolloutNamespace, cancellationToken);
        errors.AddRange(missing);
        foreach (var (metrics, path) in Lists(plan))
        {
            for (var i = 0; i < metrics.Count; i++)
            {
                if (metrics[i].TemplateRef is { } reference && AnalysisRunBuilder.Find(reference, rolloutNamespace, templates) is { } template)
                {
                    var inlined = MetricTemplates.Inline(metrics[i], template);
                    var field = $"{path}[{i}]";
                    errors.AddRange(MetricValidation.Validate([inlined], path, conditions, resolved: true)
                        .Select(e => new AnalysisError(e.Field.Replace($"{path}[0]", field, StringComparison.Ordinal),
                            $"{e.Message.Replace($"{path}[0]", field, StringComparison.Ordinal)} (with MetricTemplate {reference.Name} inlined)"))
                        .Where(e => !errors.Any(known => known.Field == e.Field))
                        .ToList());
                }
            }
        }

        return (templates, errors);
    }

    /// <summary>The templates found (by <see cref="AnalysisRunBuilder.TemplateKey"/>) and the errors of those that were not.</summary>
    public async Task<(IReadOnlyDictionary<string, MetricTemplateSpec> Templates, IReadOnlyList<AnalysisError> Errors)> ResolvePlanAsync(
        RolloutPlan plan, string rolloutNamespace, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, MetricTemplateSpec>(StringComparer.Ordinal);
        var errors = new List<AnalysisError>();
        foreach (var (metrics, path) in Lists(plan))
        {
            for (var i = 0; i < metrics.Count; i++)
            {
                if (metrics[i].TemplateRef is not { Name: { Length: > 0 } name } reference)
                {
                    continue;
                }

                foreach (var ns in MetricTemplates.SearchNamespaces(reference, rolloutNamespace))
                {
                    var key = AnalysisRunBuilder.TemplateKey(ns, name);
                    if (found.ContainsKey(key))
                    {
                        break;
                    }

                    var obj = await api.GetAsync(AnalysisKinds.MetricTemplate, ns, name, cancellationToken);
                    if (obj is null)
                    {
                        continue;
                    }

                    try
                    {
                        found[key] = SluiceJson.Deserialize<MetricTemplate>(obj).Spec;
                    }
                    catch (JsonException e)
                    {
                        errors.Add(new AnalysisError($"{path}[{i}].templateRef", $"{path}[{i}].templateRef: MetricTemplate {ns}/{name} cannot be read: {e.Message}"));
                    }

                    break;
                }
            }

            errors.AddRange(AnalysisRunBuilder.MissingTemplates(metrics, path, rolloutNamespace, found)
                .Where(missing => !errors.Any(e => e.Field == missing.Field)));
        }

        return (found, errors);
    }

    private static IEnumerable<(IReadOnlyList<CanaryMetric> Metrics, string Path)> Lists(RolloutPlan plan)
    {
        yield return (plan.CanaryMetric ?? [], "spec.rolloutPlan.canaryMetric");
        var batches = plan.RolloutBatches ?? [];
        for (var b = 0; b < batches.Count; b++)
        {
            yield return (batches[b].CanaryMetric ?? [], $"spec.rolloutPlan.rolloutBatches[{b}].canaryMetric");
        }
    }
}
