using Sluice.Core.Api;

namespace Sluice.Core.Operations;

/// <summary>
/// Sluice: an AppRollout with <c>spec.follow.application</c> rolls each new revision of that Application as it appears.
/// The controller keeps the rollout's <c>spec.sourceAppRevisionName</c> and <c>spec.targetAppRevisionName</c> pointed at
/// the revision serving now and the newest one, and the engine does the rest as for a hand-edited spec: a changed target
/// mid-way abandons the rollout and starts over from the same source (<c>Modified</c> → <c>rolloutAbandoning</c>), a
/// changed target after the end starts a new one (<c>Modified</c> → <c>locatingTargetApp</c>). Level-triggered and pure:
/// everything is decided from the rollout as stored and the Application's revisions.
/// <list type="bullet">
/// <item>The serving revision is the last succeeded target (<c>status.lastTargetAppRevision</c> of a
/// <c>rolloutSucceed</c>), the source of a failed one (its rollback put the source back), and the spec's source while a
/// rollout is under way (the stable revision stays the source whatever the target becomes).</item>
/// <item>Only revisions newer than both revisions the spec names are rolled to: an <c>undo</c> (source and target
/// swapped) is not undone, and a failed target is not retried, until the Application changes again.</item>
/// <item>A failed target is also marked (<see cref="FailedAnnotation"/> on the revision), so that a rollout recreated
/// without its status (from git, say) does not pick it either.</item>
/// <item>A rollout rolling back (<c>rolloutFailing</c>) or being deleted is left alone: it is redirected once it has
/// failed, so that the failure is recorded and the rollback finished first.</item>
/// </list>
/// </summary>
public static class RolloutFollowing
{
    /// <summary>On an ApplicationRevision: a following rollout failed on it (<c>&lt;rollout&gt;: &lt;reason&gt;</c>).</summary>
    public const string FailedAnnotation = "rollout.sluice.dev/rollout-failed";

    /// <param name="rollout">The following rollout as stored.</param>
    /// <param name="revisions">The followed Application's revisions.</param>
    /// <param name="running">
    /// For a rollout that names no revision yet: the revision its component's workload runs now (from the workload's
    /// rollout marks), which becomes the source; null when no workload exists yet (the first rollout scales up from nothing).
    /// </param>
    public static FollowStep Decide(AppRollout rollout, IReadOnlyList<FollowedRevision> revisions, string? running = null)
    {
        var spec = rollout.Spec;
        var status = rollout.Status;
        var state = status?.RollingState;
        var app = spec.Follow?.Application;
        if (string.IsNullOrEmpty(app) || rollout.Metadata.DeletionTimestamp is not null || state is RollingState.RolloutDeleting)
        {
            return FollowStep.Nothing;
        }

        var byName = revisions.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var markFailed = state == RollingState.RolloutFailed && status!.LastTargetAppRevision is { Length: > 0 } failedOn
            && byName.TryGetValue(failedOn, out var failedRevision) && failedRevision.FailedMark is null
                ? failedOn : null;
        var clearMark = state == RollingState.RolloutSucceed && status!.LastTargetAppRevision is { Length: > 0 } succeededOn
            && byName.TryGetValue(succeededOn, out var succeeded) && succeeded.FailedMark is not null
                ? succeededOn : null;
        var failedReason = markFailed is null ? null : status!.Condition(Engine.ConditionTypes.Failed)?.Reason ?? "RolloutFailed";
        var newest = revisions.Where(r => r.FailedMark is null && r.Name != markFailed).MaxBy(r => r.Number);
        var target = Blank(spec.TargetAppRevisionName);
        var source = Blank(spec.SourceAppRevisionName);

        if (target is null)
        {
            if (newest is null)
            {
                return FollowStep.Nothing;
            }

            var from = running is not null && running != newest.Name && byName.ContainsKey(running) ? running : null;
            return new FollowStep
            {
                Source = from ?? string.Empty,
                Target = newest.Name,
                Message = from is null
                    ? $"following Application {app}: rolling out {newest.Name}"
                    : $"following Application {app}: rolling out {newest.Name} from {from}, which its workload runs",
            };
        }

        var seen = Math.Max(Number(target, byName), source is null ? 0 : Number(source, byName));
        if (newest is null || newest.Number <= seen || state is RollingState.RolloutFailing)
        {
            return markFailed is null && clearMark is null ? FollowStep.Nothing : new FollowStep { MarkFailed = markFailed, FailedReason = failedReason, ClearMark = clearMark };
        }

        var serving = state switch
        {
            RollingState.RolloutSucceed => Blank(status!.LastTargetAppRevision) ?? target,
            RollingState.RolloutFailed => Blank(status!.LastSourceAppRevision),
            _ => source,
        };
        var why = state switch
        {
            RollingState.RolloutSucceed => $"{serving} serving",
            RollingState.RolloutFailed => $"{status!.LastTargetAppRevision} failed, {serving ?? "nothing"} serving",
            _ => $"abandoning {target} mid-way",
        };
        return new FollowStep
        {
            MarkFailed = markFailed,
            FailedReason = failedReason,
            ClearMark = clearMark,
            Source = serving ?? string.Empty,
            Target = newest.Name,
            Message = $"following Application {app}: {newest.Name} appeared ({why}); rolling {serving ?? "nothing"} -> {newest.Name}",
        };
    }

    private static string? Blank(string? name) => string.IsNullOrEmpty(name) ? null : name;

    /// <summary>The number of a revision the spec names; one the Application no longer has counts as the newest known (nothing newer than it is missed).</summary>
    private static int Number(string name, Dictionary<string, FollowedRevision> byName) =>
        byName.TryGetValue(name, out var revision) ? revision.Number : RevisionNumber(name) ?? 0;

    /// <summary>The N of <c>&lt;app&gt;-v&lt;N&gt;</c>, or null.</summary>
    public static int? RevisionNumber(string revisionName)
    {
        var dash = revisionName.LastIndexOf("-v", StringComparison.Ordinal);
        return dash >= 0 && int.TryParse(revisionName.AsSpan(dash + 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
