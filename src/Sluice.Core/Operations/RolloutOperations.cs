using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Operations;

/// <summary>
/// Decides what each operation changes on a rollout as it is now, or why it does not apply (docs/user-guide.md,
/// "sluice rollout"). Pure: the CLI's verbs and the dashboard's buttons read the rollout, ask here, and apply the change
/// (Sluice.Controllers.Operations.RolloutOperator).
/// </summary>
public static class RolloutOperations
{
    public static RolloutChange Decide(RolloutOperation operation, AppRollout rollout)
    {
        var facts = new RolloutFacts(rollout);
        var name = $"approllout/{facts.Name}";
        var version = rollout.Metadata.ResourceVersion;
        var plan = facts.Plan;
        switch (operation)
        {
            case RolloutOperation.Pause:
                if (facts.Finished)
                {
                    return RolloutChange.Refuse($"{name} has finished ({facts.StateName}): there is nothing to pause");
                }

                return plan.Paused == true
                    ? RolloutChange.Refuse($"{name} is already paused")
                    : Change(PlanPatch(version, "paused", true),
                        $"Pause {name}: it holds at the start of its next batch step until resumed (spec.rolloutPlan.paused=true).",
                        $"{name} paused: spec.rolloutPlan.paused=true");

            case RolloutOperation.Resume:
                return plan.Paused == true
                    ? Change(PlanPatch(version, "paused", false),
                        $"Resume {name}: its batches go on from where it was paused (spec.rolloutPlan.paused=false).",
                        $"{name} resumed: spec.rolloutPlan.paused=false")
                    : RolloutChange.Refuse($"{name} is not paused");

            case RolloutOperation.Promote or RolloutOperation.PromoteFull:
                if (facts.Finished)
                {
                    return RolloutChange.Refuse($"{name} has finished ({facts.StateName}): there is nothing to promote");
                }

                if (facts.Status?.Condition(Engine.ConditionTypes.WaitingForPromotion) is { Status: ConditionStatus.True } held)
                {
                    // Held inside a batch (pause: {}, an inconclusive analysis): the annotation lets it go on.
                    var batch = facts.Status.CurrentBatch;
                    var upTo = operation == RolloutOperation.PromoteFull ? Math.Max(batch, facts.BatchCount - 1) : batch;
                    var promote = PromotePatch(version, facts.Status.Attempt, upTo);
                    if (operation == RolloutOperation.PromoteFull && plan.BatchPartition is not null)
                    {
                        promote["spec"] = new JsonObject { ["rolloutPlan"] = new JsonObject { ["batchPartition"] = null } };
                    }

                    return Change(promote,
                        $"Promote {name}: batch {batch + 1} goes on ({held.Message}){(operation == RolloutOperation.PromoteFull ? ", and no later batch holds" : "")} ({AppRollout.PromoteAnnotation}={AppRollout.Promotion(facts.Status.Attempt, upTo)}).",
                        $"{name} promoted: batch {batch + 1} goes on ({AppRollout.PromoteAnnotation}={AppRollout.Promotion(facts.Status.Attempt, upTo)})");
                }

                if (plan.BatchPartition is not { } partition)
                {
                    return RolloutChange.Refuse($"{name} has no spec.rolloutPlan.batchPartition and holds no batch for promotion: every batch may already roll");
                }

                return operation == RolloutOperation.PromoteFull
                    ? Change(PlanPatch(version, "batchPartition", null),
                        $"Promote {name} fully: every remaining batch rolls without stopping (spec.rolloutPlan.batchPartition {partition} removed).",
                        $"{name} promoted fully: spec.rolloutPlan.batchPartition removed (was {partition})")
                    : Change(PlanPatch(version, "batchPartition", partition + 1),
                        $"Promote {name}: batch {partition + 2} of {facts.BatchCount} may roll (spec.rolloutPlan.batchPartition {partition} -> {partition + 1}).",
                        $"{name} promoted: spec.rolloutPlan.batchPartition {partition} -> {partition + 1}");

            case RolloutOperation.Abort:
                if (facts.Finished)
                {
                    return RolloutChange.Refuse($"{name} has finished ({facts.StateName}): there is nothing to abort");
                }

                if (facts.State is RollingState.RolloutFailing or RollingState.RolloutAbandoning or RollingState.RolloutDeleting)
                {
                    return RolloutChange.Refuse($"{name} is already ending ({facts.StateName})");
                }

                if (rollout.Metadata.Annotation(AppRollout.AbortAnnotation) == "true")
                {
                    return RolloutChange.Refuse($"{name}: abort was already requested");
                }

                var afterwards = plan.EffectiveOnFailure == OnFailure.Pause
                    ? "onFailure: Pause leaves the workload as it is"
                    : string.IsNullOrEmpty(rollout.Spec.SourceAppRevisionName)
                        ? "onFailure: Rollback applies"
                        : $"onFailure: Rollback puts every pod back on {rollout.Spec.SourceAppRevisionName}";
                return Change(AnnotationPatch(version, "true"),
                    $"Abort {name}: it fails with reason Aborted and {afterwards} (annotation {AppRollout.AbortAnnotation}=true).",
                    $"{name} abort requested: annotation {AppRollout.AbortAnnotation}=true (onFailure: {plan.EffectiveOnFailure} applies)");

            case RolloutOperation.Retry:
                if (facts.State != RollingState.RolloutFailed)
                {
                    return RolloutChange.Refuse($"{name} has not failed ({facts.StateName}): retry restarts only a failed rollout");
                }

                return new RolloutChange(AnnotationPatch(version, null), ResetStatus: true,
                    $"Retry {name}: its status is cleared and it starts again from its first batch ({facts.Source} -> {facts.Target}).",
                    $"{name} retried: status cleared, starting again from its first batch ({facts.Source} -> {facts.Target})", null);

            case RolloutOperation.Undo:
                if (facts.State == RollingState.RolloutDeleting)
                {
                    return RolloutChange.Refuse($"{name} is being deleted ({facts.StateName}): there is nothing left to undo");
                }

                if (string.IsNullOrEmpty(rollout.Spec.SourceAppRevisionName))
                {
                    return RolloutChange.Refuse($"{name} has no source revision (it scaled up from nothing): there is nothing to return to");
                }

                // Mid-way too (the emergency move): the engine abandons the rollout and rolls back to the source, counting
                // the pods still there. The way back does not stop at the old batchPartition.
                var patch = AnnotationPatch(version, null);
                patch["spec"] = new JsonObject
                {
                    ["sourceAppRevisionName"] = rollout.Spec.TargetAppRevisionName,
                    ["targetAppRevisionName"] = rollout.Spec.SourceAppRevisionName,
                };
                var heldAt = rollout.Spec.RolloutPlan?.BatchPartition;
                if (heldAt is not null)
                {
                    patch["spec"]!["rolloutPlan"] = new JsonObject { ["batchPartition"] = null };
                }

                var midway = facts.State == RollingState.RolloutSucceed ? "" : $" (it was {facts.StateName}; pods already on {rollout.Spec.SourceAppRevisionName} stay there)";
                var dropped = heldAt is null ? "" : $"; spec.rolloutPlan.batchPartition ({heldAt}) removed";
                return Change(patch,
                    $"Undo {name}: it rolls back from {rollout.Spec.TargetAppRevisionName} to {rollout.Spec.SourceAppRevisionName} with the same plan (source and target swapped){(midway.Length > 0 ? ", from where it stands: pods already back count, none moves twice" : "")}{(heldAt is null ? "" : ", without stopping at batchPartition")}.",
                    $"{name} undone: now rolling {rollout.Spec.TargetAppRevisionName} -> {rollout.Spec.SourceAppRevisionName}{midway}{dropped}");

            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    /// <summary>Sets <see cref="AppRollout.PromoteAnnotation"/> to <c>attempt/batch</c> (a later start of the rollout is not promoted by it).</summary>
    private static JsonObject PromotePatch(string? version, int? attempt, int batch) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = version,
            ["annotations"] = new JsonObject { [AppRollout.PromoteAnnotation] = AppRollout.Promotion(attempt, batch) },
        },
    };

    private static RolloutChange Change(JsonObject patch, string intent, string summary) => new(patch, ResetStatus: false, intent, summary, null);

    private static JsonObject PlanPatch(string? version, string field, JsonNode? value) => new()
    {
        ["metadata"] = new JsonObject { ["resourceVersion"] = version },
        ["spec"] = new JsonObject { ["rolloutPlan"] = new JsonObject { [field] = value } },
    };

    /// <summary>Sets the abort annotation, or removes it with null.</summary>
    private static JsonObject AnnotationPatch(string? version, string? value) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = version,
            ["annotations"] = new JsonObject { [AppRollout.AbortAnnotation] = value },
        },
    };
}
