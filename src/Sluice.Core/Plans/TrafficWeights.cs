using Sluice.Core.Api;

namespace Sluice.Core.Plans;

/// <summary>
/// Each batch's traffic step from the plan and its resolved batches: the weight is the batch's explicit <c>traffic</c>,
/// else its share of upgraded pods (rounded down, so traffic never runs ahead of the pods), and 100% on the last batch.
/// </summary>
/// <example>
/// Upgrade of 5 pods in batches 1, 2, 2 with no traffic given: 20%, 60%, 100%.
/// Upgrade of 3 pods in batches 1, 1, 1: 33%, 66%, 100%.
/// Upgrade of 10 pods in batches 1, 4, 5 with traffic "5%", absent, absent: 5%, 50%, 100%.
/// Upgrade of 10 pods in batches 5, 1, 4 with traffic "70%", absent, absent: invalid, batch 1's share of upgraded
/// pods (60%) is below 70%.
/// </example>
public static class TrafficWeights
{
    /// <summary>The traffic step of every batch, or the first batch whose weight would go down.</summary>
    public static TrafficStepsResult Resolve(RolloutPlan plan, BatchPlan batches)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(batches);
        var written = plan.RolloutBatches ?? [];
        var steps = new TrafficStep[batches.Count];
        TrafficStep? previous = null;
        for (var i = 0; i < batches.Count; i++)
        {
            var batch = i < written.Count ? written[i] : new RolloutBatch();
            var field = $"spec.rolloutPlan.rolloutBatches[{i}].traffic";
            var given = batch.Traffic is not null;
            int weight;
            if (given)
            {
                if (!TrafficPercent.TryParse(batch.Traffic, out weight))
                {
                    return TrafficStepsResult.Invalid(field, $"{field}: Invalid value: \"{batch.Traffic}\": want a whole percent from \"0%\" to \"100%\", e.g. \"10%\"");
                }
            }
            else
            {
                weight = batches.IsLast(i) ? 100 : PodShare(batches.Shape, batches[i]);
            }

            if (previous is not null && weight < previous.Weight)
            {
                var what = given ? $"\"{batch.Traffic}\"" : $"absent, so the batch's share of upgraded pods ({TrafficPercent.Format(weight)}),";
                return TrafficStepsResult.Invalid(field,
                    $"{field}: Invalid value: {what} is below the previous batch's {TrafficPercent.Format(previous.Weight)} (rolloutBatches[{previous.Index}]): weights never go down");
            }

            var mirror = 0;
            if (batch.Mirror is { } mirrorText && !TrafficPercent.TryParse(mirrorText, out mirror))
            {
                var mirrorField = $"spec.rolloutPlan.rolloutBatches[{i}].mirror";
                return TrafficStepsResult.Invalid(mirrorField, $"{mirrorField}: Invalid value: \"{mirrorText}\": want a whole percent from \"0%\" to \"100%\"");
            }

            TimeSpan? pauseFor = null;
            if (batch.Pause is { Duration: { } duration })
            {
                if (!PauseDuration.TryParse(duration, out var parsed))
                {
                    var pauseField = $"spec.rolloutPlan.rolloutBatches[{i}].pause.duration";
                    return TrafficStepsResult.Invalid(pauseField, $"{pauseField}: Invalid value: \"{duration}\": want a duration such as \"30s\", \"5m\" or \"1h30m\"");
                }

                pauseFor = parsed;
            }

            previous = steps[i] = new TrafficStep(i, weight, given, batch.Matches ?? [], mirror, pauseFor, batch.Pause is { Duration: null });
        }

        return TrafficStepsResult.Valid(steps);
    }

    /// <summary>
    /// The share of requests that follows a batch's pods, rounded down: upgraded pods after the batch over the target's
    /// pods. Examples: 1 of 5 is 20; 1 of 3 is 33; 2 of 3 is 66; 0 of 4 is 0. Scaling moves one revision: 100.
    /// </summary>
    public static int PodShare(RolloutShape shape, PlannedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(batch);
        if (shape.Mode == RolloutMode.Scale || shape.Target == 0)
        {
            return 100;
        }

        return (int)Math.Min(100, (long)batch.Target * 100 / shape.Target);
    }
}
