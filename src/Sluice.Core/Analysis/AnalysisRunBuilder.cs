using System.Globalization;
using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// Builds the AnalysisRun of one batch: named <c>&lt;rollout&gt;-&lt;batch&gt;-&lt;attempt&gt;</c>, owned by the
/// rollout (so deleting it deletes its runs), labelled with the rollout and the batch, with the plan's metrics and
/// the batch's, templates inlined, and the variables resolved. Pure: the same request gives the same object, so a
/// controller that crashed between creating it and recording it creates the same one again (and gets 409).
/// </summary>
public static class AnalysisRunBuilder
{
    /// <summary>The run's name: "rolling-example-0-1" for batch 0, attempt 1.</summary>
    public static string Name(string rollout, int batch, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{rollout}-{batch}-{attempt}");

    /// <summary>The key a template is found under in <see cref="AnalysisRunRequest.Templates"/>.</summary>
    public static string TemplateKey(string ns, string name) => $"{ns}/{name}";

    /// <summary>
    /// The run, or the errors that prevent it (a templateRef whose template is not in the request, named by its
    /// field): the caller validated the metrics first (<see cref="MetricValidation.ValidatePlan"/>).
    /// </summary>
    public static AnalysisRun Build(AnalysisRunRequest request, out IReadOnlyList<AnalysisError> errors)
    {
        var problems = new List<AnalysisError>();
        var metrics = new List<CanaryMetric>();
        Inline(request.PlanMetrics, "spec.rolloutPlan.canaryMetric", request, metrics, problems);
        Inline(request.BatchMetrics, $"spec.rolloutPlan.rolloutBatches[{request.Batch}].canaryMetric", request, metrics, problems);
        errors = problems;
        return new AnalysisRun
        {
            Metadata = new ObjectMeta
            {
                Name = Name(request.RolloutName, request.Batch, request.Attempt),
                Namespace = request.RolloutNamespace,
                Labels = new Dictionary<string, string>
                {
                    [AnalysisRun.RolloutLabel] = request.RolloutName,
                    [AnalysisRun.BatchLabel] = request.Batch.ToString(CultureInfo.InvariantCulture),
                },
                OwnerReferences =
                [
                    new OwnerReference
                    {
                        ApiVersion = $"{AppRollout.Group}/{AppRollout.Version}",
                        Kind = AppRollout.KindName,
                        Name = request.RolloutName,
                        Uid = request.RolloutUid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new AnalysisRunSpec
            {
                Metrics = metrics,
                Variables = request.Variables.ToDictionary(request.Batch),
                PauseSeconds = request.PauseSeconds,
                ScoreThresholds = request.ScoreThresholds,
            },
        };
    }

    /// <summary>Templates that <paramref name="metrics"/> name and that are missing from <paramref name="found"/>, as errors naming the field.</summary>
    public static IReadOnlyList<AnalysisError> MissingTemplates(IReadOnlyList<CanaryMetric> metrics, string path, string rolloutNamespace, IReadOnlyDictionary<string, MetricTemplateSpec> found)
    {
        var errors = new List<AnalysisError>();
        for (var i = 0; i < metrics.Count; i++)
        {
            if (metrics[i].TemplateRef is { Name: { } name } reference && Find(reference, rolloutNamespace, found) is null)
            {
                var places = string.Join(" or ", MetricTemplates.SearchNamespaces(reference, rolloutNamespace));
                errors.Add(new AnalysisError($"{path}[{i}].templateRef", $"{path}[{i}].templateRef: Not found: MetricTemplate \"{name}\" in namespace {places}"));
            }
        }

        return errors;
    }

    /// <summary>The template a reference resolves to: the first of its search namespaces that has it.</summary>
    public static MetricTemplateSpec? Find(MetricTemplateReference reference, string rolloutNamespace, IReadOnlyDictionary<string, MetricTemplateSpec> found) =>
        MetricTemplates.SearchNamespaces(reference, rolloutNamespace)
            .Select(ns => found.TryGetValue(TemplateKey(ns, reference.Name ?? string.Empty), out var spec) ? spec : null)
            .FirstOrDefault(spec => spec is not null);

    private static void Inline(IReadOnlyList<CanaryMetric> metrics, string path, AnalysisRunRequest request, List<CanaryMetric> into, List<AnalysisError> errors)
    {
        errors.AddRange(MissingTemplates(metrics, path, request.RolloutNamespace, request.Templates));
        foreach (var metric in metrics)
        {
            into.Add(metric.TemplateRef is { } reference && Find(reference, request.RolloutNamespace, request.Templates) is { } template
                ? MetricTemplates.Inline(metric, template)
                : metric);
        }
    }
}
