using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;

namespace Sluice.Controllers.Operations;

/// <summary>
/// A rollout's AnalysisRuns as its views show them: the run the status names (the current batch's, or the last batch
/// that had checks), and every run of the rollout, newest first.
/// </summary>
public static class RolloutAnalysis
{
    /// <summary>The plan has canaryMetric checks (its own or a batch's): the rollout may have runs.</summary>
    public static bool HasChecks(AppRollout rollout) =>
        rollout.Spec.RolloutPlan is { } plan
        && (plan.CanaryMetric is { Count: > 0 } || (plan.RolloutBatches ?? []).Any(b => b.CanaryMetric is { Count: > 0 }));

    /// <summary>The run <c>status.analysisRun</c> names, from the cache; null before one started or when it is gone.</summary>
    public static AnalysisRun? Current(IObjectReader reader, AppRollout rollout) =>
        rollout.Status?.AnalysisRun is { Length: > 0 } name && reader.Get(AnalysisKinds.AnalysisRun, rollout.Metadata.Namespace, name) is { } stored
            ? SluiceJson.Deserialize<AnalysisRun>(stored)
            : null;

    /// <summary>As <see cref="Current(IObjectReader, AppRollout)"/>, read from the API (null where the AnalysisRun kind is not installed).</summary>
    public static async Task<AnalysisRun?> CurrentAsync(IKubeApi api, AppRollout rollout, CancellationToken cancellationToken)
    {
        if (rollout.Status?.AnalysisRun is not { Length: > 0 } name)
        {
            return null;
        }

        try
        {
            return await api.GetAsync(AnalysisKinds.AnalysisRun, rollout.Metadata.Namespace, name, cancellationToken) is { } stored
                ? SluiceJson.Deserialize<AnalysisRun>(stored)
                : null;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The rollout's runs in the cache (by their rollout label), newest first.</summary>
    public static IReadOnlyList<AnalysisRun> Runs(IObjectReader reader, string ns, string rollout) =>
        reader.List(AnalysisKinds.AnalysisRun, ns)
            .Where(r => r["metadata"]?["labels"]?[AnalysisRun.RolloutLabel]?.GetValue<string>() == rollout)
            .Select(r => SluiceJson.Deserialize<AnalysisRun>(r))
            .OrderByDescending(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenByDescending(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>"batch 2" from the run's batch label (0-based there).</summary>
    public static string BatchOf(AnalysisRun run) =>
        int.TryParse(run.Metadata.Label(AnalysisRun.BatchLabel), out var index) ? $"batch {index + 1}" : "batch ?";
}
