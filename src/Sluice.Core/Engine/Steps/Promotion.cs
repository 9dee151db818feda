using Sluice.Core.Api;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// A batch held until someone decides (<c>pause: {}</c>, an inconclusive analysis): the <c>WaitingForPromotion</c>
/// condition says why, and <c>sluice rollout promote</c> (the <see cref="AppRollout.PromoteAnnotation"/>) releases it.
/// </summary>
internal static class Promotion
{
    /// <summary>The batch was promoted; the condition and an Event say so once.</summary>
    public static bool Promoted(DecisionContext c, Plans.PlannedBatch batch)
    {
        if (c.Input.PromotedBatch is not { } promoted || promoted < batch.Index)
        {
            return false;
        }

        if (c.Status.Condition(ConditionTypes.WaitingForPromotion)?.Status == ConditionStatus.True)
        {
            c.SetCondition(ConditionTypes.WaitingForPromotion, ConditionStatus.False, "Promoted", $"batch {batch.Index + 1} promoted", restamp: true);
            c.Events.Add(RecordedEvent.Normal("Promoted", $"batch {batch.Index + 1} promoted: going on"));
        }

        return true;
    }

    public static void Hold(DecisionContext c, string reason, string message) =>
        c.SetCondition(ConditionTypes.WaitingForPromotion, ConditionStatus.True, reason, message, restamp: false, warn: reason != "PausedAtBatch");
}
