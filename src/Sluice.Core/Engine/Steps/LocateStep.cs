using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary><c>locatingTargetApp</c>: find the revisions and record the rollout's shape (sizes, revisions, target hash).</summary>
internal static class LocateStep
{
    public static bool Run(DecisionContext c)
    {
        var revisions = c.Input.Revisions;
        if (string.IsNullOrEmpty(c.Spec.TargetAppRevisionName) && c.Spec.Follow?.Application is { Length: > 0 } followed)
        {
            // Sluice: a following rollout names its revisions once the Application has one (its controller sets them); no deadline.
            var why = revisions?.Problem ?? $"Application \"{followed}\" has no revision yet";
            c.SetCondition(ConditionTypes.Progressing, Api.ConditionStatus.True, revisions?.ProblemReason ?? "WaitingForRevision", why, restamp: false);
            return c.Wait(why);
        }

        if (string.IsNullOrEmpty(c.Spec.TargetAppRevisionName))
        {
            return c.Fail("MissingTarget", "spec.targetAppRevisionName: Required value: the revision to roll out to (or follow an Application: spec.follow.application)");
        }

        if (revisions is null)
        {
            return c.Wait("the target revision to be looked up");
        }

        if (revisions.Problem is not null)
        {
            c.SetCondition(ConditionTypes.Progressing, Api.ConditionStatus.True, revisions.ProblemReason ?? "Locating", revisions.Problem, restamp: false, warn: true);
            if (c.DeadlinePassed(out var waited))
            {
                return c.Fail(revisions.ProblemReason ?? "LocateFailed", $"{revisions.Problem} (gave up after {waited})");
            }

            return c.WaitFor(revisions.Problem, c.RemainingDeadline());
        }

        c.Status = c.Status with
        {
            LastTargetAppRevision = c.Spec.TargetAppRevisionName,
            LastSourceAppRevision = c.Spec.SourceAppRevisionName ?? string.Empty,
            RolloutOriginalSize = revisions.OriginalSize,
            RolloutTargetSize = revisions.TargetSize,
            TargetGeneration = revisions.TargetGeneration,
        };
        return c.Fire(RolloutEvent.AppLocated);
    }
}
