using Sluice.Controllers.Kube;
using Sluice.Core.Analysis;
using Sluice.Core.Api;

namespace Sluice.Controllers.Analysis;

/// <summary>Deletes a rollout's older AnalysisRuns so that the last few are kept (never one still Running).</summary>
public sealed class AnalysisRunPruner(IKubeApi api)
{
    /// <summary>Deletes every finished run of the rollout beyond the newest <paramref name="keep"/>; returns their names.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(string ns, string rollout, int keep, CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(AnalysisKinds.AnalysisRun, ns, $"{AnalysisRun.RolloutLabel}={rollout}", cancellationToken);
        var runs = (list["items"]?.AsArray() ?? [])
            .OfType<System.Text.Json.Nodes.JsonObject>()
            .Where(item => item["metadata"]?["labels"]?[AnalysisRun.RolloutLabel]?.GetValue<string>() == rollout)
            .Select(item => SluiceJson.Deserialize<AnalysisRun>(item))
            .ToList();
        var doomed = AnalysisRunPruning.ToPrune(runs, keep);
        foreach (var name in doomed)
        {
            await api.DeleteAsync(AnalysisKinds.AnalysisRun, ns, name, null, cancellationToken);
        }

        return doomed;
    }
}
