using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;
using Sluice.Core.Operations;

namespace Sluice.Controllers.Operations;

/// <summary>
/// Carries out an operator's action on an AppRollout through the API, for the CLI's <c>sluice rollout</c> verbs and the
/// dashboard's buttons alike: read the rollout, decide (<see cref="RolloutOperations.Decide"/>), apply the merge patch
/// carrying the resourceVersion it decided on, and on a 409 decide again on what is there now. API errors (a 403 from
/// RBAC, say) propagate as <see cref="KubeApiException"/>.
/// </summary>
public static class RolloutOperator
{
    public const int Attempts = 5;

    public static async Task<OperationResult> ApplyAsync(IKubeApi api, RolloutOperation operation, string ns, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var stored = await api.GetAsync(ResourceKind.AppRollout, ns, name, cancellationToken);
            if (stored is null)
            {
                return new OperationResult(OperationOutcome.NotFound, $"approllout/{name} not found in namespace {ns}");
            }

            var change = RolloutOperations.Decide(operation, SluiceJson.Deserialize<AppRollout>(stored));
            if (change.Refused)
            {
                return new OperationResult(OperationOutcome.Refused, change.Refusal!);
            }

            try
            {
                await api.MergePatchAsync(ResourceKind.AppRollout, ns, name, change.Patch!, null, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                continue; // changed meanwhile: decide again on what is there now
            }

            if (change.ResetStatus)
            {
                await ResetStatusAsync(api, ns, name, cancellationToken);
            }

            return new OperationResult(OperationOutcome.Done, change.Summary);
        }

        return new OperationResult(OperationOutcome.Conflicted, $"approllout/{name} kept changing; {Attempts} attempts conflicted");
    }

    /// <summary>Writes an empty status: the engine starts the rollout afresh from locatingTargetApp.</summary>
    private static async Task ResetStatusAsync(IKubeApi api, string ns, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var latest = await api.GetAsync(ResourceKind.AppRollout, ns, name, cancellationToken)
                ?? throw new KubeApiException(System.Net.HttpStatusCode.NotFound, "NotFound", $"approllout/{name} was deleted");
            // The attempt survives: the restarted rollout counts on from it, so its AnalysisRuns get new names.
            latest["status"] = latest["status"]?["attempt"] is JsonValue attemptValue
                ? new JsonObject { ["attempt"] = attemptValue.DeepClone() }
                : new JsonObject();
            try
            {
                await api.ReplaceStatusAsync(ResourceKind.AppRollout, ns, latest, cancellationToken);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < Attempts)
            {
            }
        }
    }
}
