using Sluice.Core.Api;
using Sluice.Core.Engine;
using static Sluice.Core.Tests.Engine.Specs;

namespace Sluice.Core.Tests.Engine;

/// <summary>The engine's side of following an Application: waiting for a first revision, and a redirected target.</summary>
public sealed class RolloutEngineFollowTests
{
    private static AppRolloutSpec Following(string? source, string? target) =>
        Rollout(source, target!, "1", "2", "2") with { Follow = new RolloutFollow { Application = "test-rolling" } };

    [Fact]
    public void Decide_FollowingWithNoRevisionYet_WaitsWithoutFailingEvenPastTheDeadline()
    {
        var harness = new RolloutHarness(Following(null, null), new FakeWorkload(WorkloadStyle.InPlace), new RevisionObservation
        {
            Problem = "Application \"test-rolling\" has no revision yet",
            ProblemReason = "WaitingForRevision",
        });

        harness.Reconcile();
        harness.Time.Advance(TimeSpan.FromHours(1));
        harness.Reconcile();

        harness.State.ShouldBe(RollingState.LocatingTargetApp);
        var progressing = harness.Status!.Condition(ConditionTypes.Progressing)!;
        (progressing.Reason, progressing.Message).ShouldBe(("WaitingForRevision", "Application \"test-rolling\" has no revision yet"));
        harness.Workload.Applied.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_NotFollowingAndNoTarget_FailsNamingTheFieldAndTheAlternative()
    {
        var harness = new RolloutHarness(Rollout(null, null!, "1"), new FakeWorkload(WorkloadStyle.InPlace), FromNothing(5));

        harness.Reconcile();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Message.ShouldNotBeNull()
            .ShouldStartWith("spec.targetAppRevisionName: Required value: the revision to roll out to (or follow an Application: spec.follow.application)");
    }

    [Fact]
    public void Decide_FollowerPointedAtTheFirstRevision_RollsItUpFromNothing()
    {
        var harness = new RolloutHarness(Following(null, null), new FakeWorkload(WorkloadStyle.InPlace), new RevisionObservation { Problem = "Application \"test-rolling\" has no revision yet", ProblemReason = "WaitingForRevision" });
        harness.Reconcile();

        harness.Spec = Following(null, "test-rolling-v1");
        harness.Revisions = FromNothing(5);
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Status!.LastTargetAppRevision.ShouldBe("test-rolling-v1");
        harness.TargetsApplied().ShouldBe([1, 3, 5]);
    }
}
