namespace Sluice.Core.Operations;

/// <summary>
/// What a following AppRollout's controller does before the engine looks at it: mark the revision it failed on
/// (<see cref="MarkFailed"/>), and/or point its spec at other revisions (<see cref="SpecChange"/>, a merge patch of
/// <c>spec.sourceAppRevisionName</c> and <c>spec.targetAppRevisionName</c>), which the engine then sees as a changed spec.
/// </summary>
public sealed record FollowStep
{
    public static readonly FollowStep Nothing = new();

    /// <summary>The revision a failed rollout was rolling to, to be marked so that it is not picked again; null when none.</summary>
    public string? MarkFailed { get; init; }

    /// <summary>Why it failed (the rollout's Failed condition), for the mark.</summary>
    public string? FailedReason { get; init; }

    /// <summary>A marked revision that has since been rolled out with success (a <c>retry</c>): its mark is removed.</summary>
    public string? ClearMark { get; init; }

    /// <summary>The source to set (empty: none, a scale-up from nothing); meaningful only with <see cref="Target"/>.</summary>
    public string? Source { get; init; }

    /// <summary>The target to set; null when the spec stays as it is.</summary>
    public string? Target { get; init; }

    /// <summary>For the rollout's Event: what changed and why.</summary>
    public string? Message { get; init; }

    public bool ChangesSpec => Target is not null;
}
