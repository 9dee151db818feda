namespace Sluice.Core.Operations;

/// <summary>
/// One ApplicationRevision of a followed Application as the follower sees it: its name, its number (<c>&lt;app&gt;-v&lt;N&gt;</c>)
/// and, when a following rollout failed on it, the mark saying so (<see cref="RolloutFollowing.FailedAnnotation"/>).
/// </summary>
public sealed record FollowedRevision(string Name, int Number, string? FailedMark = null);
