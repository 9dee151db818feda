namespace Sluice.Core.Api;

public sealed record AppRolloutSpec
{
    /// <summary>The ApplicationRevision to roll out to.</summary>
    public string? TargetAppRevisionName { get; init; }

    /// <summary>The revision to roll from; empty means a scale-up from nothing.</summary>
    public string? SourceAppRevisionName { get; init; }

    /// <summary>The component(s) to roll; empty means the one component common to source and target.</summary>
    public IReadOnlyList<string>? ComponentList { get; init; }

    public RolloutPlan? RolloutPlan { get; init; }

    /// <summary>Deleting an unfinished rollout puts the source revision back.</summary>
    public bool? RevertOnDelete { get; init; }

    /// <summary>
    /// Sluice: follow an Application instead of naming revisions: its revisions are rolled out as they appear (the source
    /// and target are then set by the controller, and <see cref="TargetAppRevisionName"/> is not required).
    /// </summary>
    public RolloutFollow? Follow { get; init; }
}
