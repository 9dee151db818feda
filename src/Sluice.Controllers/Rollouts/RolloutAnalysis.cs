using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// The AppRollout reconciler's side of metric analysis: verifying the plan's canaryMetric checks (templates found, CEL
/// conditions compile), reading the current batch's AnalysisRun, and applying the engine's <see cref="AnalysisIntent"/>s
/// (create a batch's run from the plan, end one the rollout no longer waits for, prune old ones). The runs themselves are
/// measured by the AnalysisRun controller.
/// </summary>
public sealed class RolloutAnalysis(IKubeApi api)
{
    private readonly MetricTemplateResolver templates = new(api, CelConditions.Shared);
    private readonly AnalysisRunPruner pruner = new(api);

    public static bool Uses(RolloutPlan? plan) =>
        plan is not null && (plan.CanaryMetric is { Count: > 0 } || plan.RolloutBatches?.Any(b => b.CanaryMetric is { Count: > 0 }) == true);

    /// <summary>Why the plan's checks cannot run (every error, each naming its field), or null.</summary>
    public async Task<string?> VerifyAsync(AppRollout rollout, CancellationToken cancellationToken)
    {
        if (!Uses(rollout.Spec.RolloutPlan))
        {
            return null;
        }

        var (_, errors) = await templates.VerifyPlanAsync(rollout.Spec.RolloutPlan!, Namespace(rollout), cancellationToken);
        return errors.Count == 0 ? null : string.Join("; ", errors.Select(e => e.Message));
    }

    /// <summary>The run the status names for the current batch, when it exists.</summary>
    public async Task<AnalysisRun?> CurrentAsync(AppRollout rollout, CancellationToken cancellationToken) =>
        rollout.Status?.AnalysisRun is { Length: > 0 } name
        && await api.GetAsync(AnalysisKinds.AnalysisRun, Namespace(rollout), name, cancellationToken) is { } found
            ? SluiceJson.Deserialize<AnalysisRun>(found)
            : null;

    public async Task ApplyAsync(AppRollout rollout, ResolvedRollout resolved, IReadOnlyList<AnalysisIntent> intents, CancellationToken cancellationToken)
    {
        var ns = Namespace(rollout);
        foreach (var intent in intents)
        {
            switch (intent)
            {
                case StartAnalysis start:
                    await StartAsync(rollout, resolved, start, cancellationToken);
                    break;
                case TerminateAnalysis terminate:
                    try
                    {
                        await api.MergePatchAsync(AnalysisKinds.AnalysisRun, ns, terminate.Run,
                            new JsonObject { ["spec"] = new JsonObject { ["terminate"] = true } }, null, cancellationToken);
                    }
                    catch (KubeApiException e) when (e.IsNotFound)
                    {
                    }

                    break;
                case PruneAnalysisRuns prune:
                    await pruner.PruneAsync(ns, rollout.Metadata.Name ?? string.Empty, prune.Keep, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Builds the batch's run from the plan (templates inlined) and creates it; one that exists already (a crash after creating it) is adopted.</summary>
    private async Task StartAsync(AppRollout rollout, ResolvedRollout resolved, StartAnalysis start, CancellationToken cancellationToken)
    {
        var plan = rollout.Spec.RolloutPlan ?? new RolloutPlan();
        var ns = Namespace(rollout);
        var (found, errors) = await templates.ResolvePlanAsync(plan, ns, cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"the AnalysisRun of batch {start.Batch + 1} cannot be built: {string.Join("; ", errors.Select(e => e.Message))}");
        }

        var batch = plan.RolloutBatches is { } batches && start.Batch < batches.Count ? batches[start.Batch] : new RolloutBatch();
        var run = AnalysisRunBuilder.Build(new AnalysisRunRequest
        {
            RolloutName = rollout.Metadata.Name ?? string.Empty,
            RolloutNamespace = ns,
            RolloutUid = rollout.Metadata.Uid ?? string.Empty,
            Batch = start.Batch,
            Attempt = start.Attempt,
            PlanMetrics = plan.CanaryMetric ?? [],
            BatchMetrics = batch.CanaryMetric ?? [],
            Templates = found,
            Variables = new AnalysisVariables
            {
                Namespace = ns,
                Component = resolved.Component ?? rollout.Spec.ComponentList?.FirstOrDefault() ?? string.Empty,
                Service = plan.TrafficRouting?.Service ?? plan.BlueGreen?.ActiveService,
                CanaryService = plan.TrafficRouting is { } routing ? routing.EffectiveCanaryService : plan.BlueGreen?.EffectivePreviewService,
                SourceRevision = string.IsNullOrEmpty(rollout.Spec.SourceAppRevisionName) ? null : rollout.Spec.SourceAppRevisionName,
                TargetRevision = rollout.Spec.TargetAppRevisionName ?? string.Empty,
            },
            PauseSeconds = batch.Pause?.Duration is { } text && PauseDuration.TryParse(text, out var pause) ? (int)Math.Ceiling(pause.TotalSeconds) : null,
        }, out var buildErrors);
        if (buildErrors.Count > 0)
        {
            throw new InvalidOperationException($"the AnalysisRun of batch {start.Batch + 1} cannot be built: {string.Join("; ", buildErrors.Select(e => e.Message))}");
        }

        try
        {
            await api.CreateAsync(AnalysisKinds.AnalysisRun, ns, SluiceJson.ToNode(run).AsObject(), cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // made by a reconcile that did not get to write the status: the same name, the same run
        }
    }

    private static string Namespace(AppRollout rollout) => rollout.Metadata.Namespace ?? "default";
}
