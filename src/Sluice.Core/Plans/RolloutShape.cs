namespace Sluice.Core.Plans;

/// <summary>What a plan moves: pods onto a new revision, or a workload from one size to another.</summary>
public sealed record RolloutShape
{
    private RolloutShape(RolloutMode mode, int original, int target)
    {
        Mode = mode;
        Original = original;
        Target = target;
    }

    public RolloutMode Mode { get; }

    /// <summary>Pods before the rollout (the source's size when upgrading).</summary>
    public int Original { get; }

    /// <summary>Pods after the rollout.</summary>
    public int Target { get; }

    /// <summary>Where the sizes came from, for people (e.g. "target size 5 from the source workload CloneSet web"), or null.</summary>
    public string? Origin { get; init; }

    /// <summary>The pods the batches share out: all of them when upgrading, the difference when scaling.</summary>
    public int PodsToMove => Mode == RolloutMode.Upgrade ? Target : Math.Abs(Target - Original);

    /// <summary>Upgrading <paramref name="total"/> pods in place (source and target the same size).</summary>
    public static RolloutShape Upgrade(int total) => Upgrade(total, total);

    /// <summary>Upgrading a workload of <paramref name="original"/> pods to a new revision of <paramref name="target"/> pods.</summary>
    public static RolloutShape Upgrade(int original, int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(original);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        return new RolloutShape(RolloutMode.Upgrade, original, target);
    }

    /// <summary>Scaling one revision from <paramref name="original"/> to <paramref name="target"/> pods.</summary>
    public static RolloutShape Scale(int original, int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(original);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        return new RolloutShape(RolloutMode.Scale, original, target);
    }

    public override string ToString() =>
        Mode == RolloutMode.Upgrade
            ? Original == Target ? $"upgrade of {Target} pods" : $"upgrade from {Original} to {Target} pods"
            : $"scale from {Original} to {Target} pods";
}
