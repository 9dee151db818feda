using Sluice.Core.Api;

namespace Sluice.Core.Plans;

/// <summary>
/// Validates a rollout plan against its shape and resolves every batch (spec/rollout.md, "Batch sizes").
/// Each batch resolves against the pods to move: all pods when upgrading, <c>|target - original|</c> when scaling.
/// </summary>
/// <example>
/// Upgrade of 5 pods with 10%, 40%, 50%: sizes 1, 2, 2; targets 1, 3, 5.
/// Upgrade of 10 pods with 1, 20%, 50%, 2: targets 1, 3, 8, 10.
/// Scale from 0 to 5 with 10%, 40%, 50%: sizes 1, 3, 5.
/// Scale from 10 to 0 with 1, 20%, 50%, 2: sizes 9, 7, 2, 0.
/// </example>
public static class PlanCalculator
{
    public static PlanResult Calculate(RolloutPlan plan, RolloutShape shape)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shape);

        if (plan.BatchPartition is < 0)
        {
            return PlanResult.Invalid("spec.rolloutPlan.batchPartition",
                $"spec.rolloutPlan.batchPartition: Invalid value: {plan.BatchPartition}: must be greater than or equal to 0");
        }

        if (plan.TargetSize is < 0)
        {
            return PlanResult.Invalid("spec.rolloutPlan.targetSize",
                $"spec.rolloutPlan.targetSize: Invalid value: {plan.TargetSize}: must be greater than or equal to 0");
        }

        if (plan.ProgressDeadlineSeconds is < 0)
        {
            return PlanResult.Invalid("spec.rolloutPlan.progressDeadlineSeconds",
                $"spec.rolloutPlan.progressDeadlineSeconds: Invalid value: {plan.ProgressDeadlineSeconds}: must be greater than or equal to 0");
        }

        var pods = shape.PodsToMove;
        var batches = plan.RolloutBatches;
        if (batches is null or { Count: 0 })
        {
            if (plan.NumBatches is null)
            {
                return PlanResult.Invalid("spec.rolloutPlan.rolloutBatches",
                    "spec.rolloutPlan.rolloutBatches: Required value: the rollout plan needs at least one batch (give rolloutBatches or numBatches)");
            }

            if (plan.NumBatches < 1)
            {
                return PlanResult.Invalid("spec.rolloutPlan.numBatches",
                    $"spec.rolloutPlan.numBatches: Invalid value: {plan.NumBatches}: must be at least 1");
            }

            batches = BatchSizes.Even(pods, plan.NumBatches.Value)
                .Select(size => new RolloutBatch { Replicas = IntOrPercent.FromInt(size) })
                .ToArray();
        }
        else if (plan.NumBatches is { } declared && declared != batches.Count)
        {
            return PlanResult.Invalid("spec.rolloutPlan.numBatches",
                $"spec.rolloutPlan.numBatches: Invalid value: {declared}: must equal the number of rolloutBatches ({batches.Count})");
        }

        var sizes = new int[batches.Count];
        var moved = 0;
        for (var i = 0; i < batches.Count; i++)
        {
            var field = $"spec.rolloutPlan.rolloutBatches[{i}].replicas";
            var replicas = batches[i].Replicas;
            var last = i == batches.Count - 1;
            if (replicas is null && !last)
            {
                return PlanResult.Invalid(field, $"{field}: Required value: only the last batch may omit replicas");
            }

            if (replicas is { Value: < 0 })
            {
                return PlanResult.Invalid(field, $"{field}: Invalid value: {replicas}: must not be negative");
            }

            if (batches[i].MaxUnavailable is { Value: < 0 } maxUnavailable)
            {
                var muField = $"spec.rolloutPlan.rolloutBatches[{i}].maxUnavailable";
                return PlanResult.Invalid(muField, $"{muField}: Invalid value: {maxUnavailable}: must not be negative");
            }

            if (!last)
            {
                sizes[i] = replicas!.Resolve(pods);
                moved += sizes[i];
                if (moved >= pods && pods > 0)
                {
                    return PlanResult.Invalid(field,
                        $"{field}: Invalid value: {Quoted(replicas)}: the batches up to this one move {moved} of {pods} pods, leaving none for the last batch ({Describe(shape)})");
                }

                continue;
            }

            if (replicas is { IsPercent: false } exact && moved + exact.Value != pods)
            {
                return PlanResult.Invalid(field,
                    $"{field}: Invalid value: {exact}: the rollout plan batch size mismatch, total batch size = {moved + exact.Value}, totalReplicas size = {pods} ({Describe(shape)})");
            }

            sizes[i] = pods - moved;
        }

        if (pods == 0 && moved > 0)
        {
            return PlanResult.Invalid("spec.rolloutPlan.rolloutBatches",
                $"spec.rolloutPlan.rolloutBatches: Invalid value: the batches move {moved} pods: the rollout plan batch size mismatch, total batch size = {moved}, totalReplicas size = 0 ({Describe(shape)})");
        }

        return PlanResult.Valid(new BatchPlan(shape, Resolve(shape, batches, sizes)));
    }

    private static PlannedBatch[] Resolve(RolloutShape shape, IReadOnlyList<RolloutBatch> batches, int[] sizes)
    {
        var result = new PlannedBatch[batches.Count];
        var cumulative = 0;
        for (var i = 0; i < batches.Count; i++)
        {
            cumulative += sizes[i];
            var last = i == batches.Count - 1;
            int target;
            int? sourceLeft = null;
            if (shape.Mode == RolloutMode.Upgrade)
            {
                target = last ? shape.Target : cumulative;
                sourceLeft = SourceLeft(shape, target);
            }
            else
            {
                var grows = shape.Target >= shape.Original;
                target = last ? shape.Target : grows ? shape.Original + cumulative : shape.Original - cumulative;
            }

            result[i] = new PlannedBatch(i, batches[i].Replicas, sizes[i], target, sourceLeft, batches[i].MaxUnavailable);
        }

        return result;
    }

    /// <summary>
    /// Source pods left once <paramref name="upgraded"/> of the target's pods run the new revision:
    /// the same share of the source, rounded so that the source never shrinks faster than the target grows.
    /// Example: 5 to 5 with 3 upgraded leaves 2; 4 to 8 with 2 upgraded leaves 3.
    /// </summary>
    private static int SourceLeft(RolloutShape shape, int upgraded)
    {
        if (shape.Target == 0)
        {
            return 0;
        }

        var share = (long)shape.Original * upgraded / shape.Target;
        return shape.Original - (int)share;
    }

    private static string Describe(RolloutShape shape) => shape.Origin is { } origin ? $"{shape}: {origin}" : shape.ToString();

    private static string Quoted(IntOrPercent replicas) => replicas.IsPercent ? $"\"{replicas}\"" : replicas.ToString();
}
