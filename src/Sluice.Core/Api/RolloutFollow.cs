namespace Sluice.Core.Api;

/// <summary>
/// Sluice: what an AppRollout follows instead of naming revisions (<c>spec.follow</c>). Each new ApplicationRevision of the
/// Application starts a rollout from the revision serving now to the newest, with the rollout's plan as the template.
/// </summary>
public sealed record RolloutFollow
{
    /// <summary>The Application (in the rollout's namespace) whose revisions are rolled out as they appear.</summary>
    public string? Application { get; init; }
}
