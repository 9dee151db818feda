using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Operations;
using Sluice.Core.Tests.Engine;

namespace Sluice.Core.Tests.Operations;

/// <summary>Where a following rollout is pointed as its Application's revisions appear, fail and succeed.</summary>
public sealed class RolloutFollowingTests
{
    private static AppRollout Following(string? source, string? target, RollingState? state = null, string? lastSource = null, string? lastTarget = null, Condition? failed = null) => new()
    {
        Metadata = new ObjectMeta { Name = "follower", Namespace = "default" },
        Spec = new AppRolloutSpec
        {
            Follow = new RolloutFollow { Application = "test-rolling" },
            SourceAppRevisionName = source,
            TargetAppRevisionName = target,
            RolloutPlan = Specs.Plan("1", "2", "2"),
        },
        Status = state is null ? null : new AppRolloutStatus
        {
            RollingState = state,
            LastSourceAppRevision = lastSource ?? source ?? string.Empty,
            LastTargetAppRevision = lastTarget ?? target,
            Conditions = failed is null ? null : [failed],
        },
    };

    private static FollowedRevision[] Revisions(int count, params (int Number, string Mark)[] marks) =>
        Enumerable.Range(1, count).Select(n => new FollowedRevision($"test-rolling-v{n}", n, marks.FirstOrDefault(m => m.Number == n).Mark)).ToArray();

    [Fact]
    public void Decide_NoTargetYetAndNoWorkload_RollsTheNewestUpFromNothing()
    {
        var step = RolloutFollowing.Decide(Following(null, null), Revisions(1));

        (step.Source, step.Target).ShouldBe((string.Empty, "test-rolling-v1"));
        step.Message.ShouldBe("following Application test-rolling: rolling out test-rolling-v1");
    }

    [Fact]
    public void Decide_NoTargetYetAndTheWorkloadRunsAnOlderRevision_RollsFromIt()
    {
        var step = RolloutFollowing.Decide(Following(null, null), Revisions(3), running: "test-rolling-v2");

        (step.Source, step.Target).ShouldBe(("test-rolling-v2", "test-rolling-v3"));
    }

    [Fact]
    public void Decide_NoRevisionYet_DoesNothing()
    {
        RolloutFollowing.Decide(Following(null, null), []).ShouldBe(FollowStep.Nothing);
    }

    [Fact]
    public void Decide_SucceededAndANewerRevision_RollsFromTheSucceededTarget()
    {
        var step = RolloutFollowing.Decide(Following(null, "test-rolling-v1", RollingState.RolloutSucceed), Revisions(2));

        (step.Source, step.Target).ShouldBe(("test-rolling-v1", "test-rolling-v2"));
        step.ChangesSpec.ShouldBeTrue();
    }

    [Fact]
    public void Decide_SucceededOnTheNewest_DoesNothing()
    {
        RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutSucceed), Revisions(2)).ShouldBe(FollowStep.Nothing);
    }

    [Fact]
    public void Decide_MidwayWhenANewerRevisionAppears_KeepsTheSourceAndRedirectsToTheNewest()
    {
        var step = RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RollingInBatches), Revisions(4));

        (step.Source, step.Target).ShouldBe(("test-rolling-v1", "test-rolling-v4"));
        step.Message.ShouldBe("following Application test-rolling: test-rolling-v4 appeared (abandoning test-rolling-v2 mid-way); rolling test-rolling-v1 -> test-rolling-v4");
    }

    [Fact]
    public void Decide_RedirectedButNotYetSeenByTheEngine_RollsFromWhatSucceeded()
    {
        // v2 succeeded; the spec was already pointed at v3 (source v2), then v4 appeared before the engine looked
        var step = RolloutFollowing.Decide(Following("test-rolling-v2", "test-rolling-v3", RollingState.RolloutSucceed, lastSource: "test-rolling-v1", lastTarget: "test-rolling-v2"), Revisions(4));

        (step.Source, step.Target).ShouldBe(("test-rolling-v2", "test-rolling-v4"));
    }

    [Fact]
    public void Decide_Failed_MarksTheFailedRevisionAndStaysOnTheSource()
    {
        var failed = new Condition { Type = ConditionTypes.Failed, Status = ConditionStatus.True, Reason = "ProgressDeadlineExceeded" };

        var step = RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutFailed, failed: failed), Revisions(2));

        step.MarkFailed.ShouldBe("test-rolling-v2");
        step.FailedReason.ShouldBe("ProgressDeadlineExceeded");
        step.ChangesSpec.ShouldBeFalse();
    }

    [Fact]
    public void Decide_FailedThenTheApplicationChanges_RollsTheNewestFromTheSourceTheRollbackLeft()
    {
        var step = RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutFailed), Revisions(3, (2, "follower: ProgressDeadlineExceeded")));

        step.MarkFailed.ShouldBeNull();
        (step.Source, step.Target).ShouldBe(("test-rolling-v1", "test-rolling-v3"));
    }

    [Fact]
    public void Decide_RollingBackWhenANewerRevisionAppears_WaitsUntilTheRollbackEnds()
    {
        RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutFailing), Revisions(3)).ShouldBe(FollowStep.Nothing);
    }

    [Fact]
    public void Decide_RecreatedWithoutStatusWhileTheNewestIsMarkedFailed_RollsTheNewestUnmarkedOne()
    {
        var step = RolloutFollowing.Decide(Following(null, null), Revisions(3, (3, "follower: Aborted")), running: "test-rolling-v1");

        (step.Source, step.Target).ShouldBe(("test-rolling-v1", "test-rolling-v2"));
    }

    [Fact]
    public void Decide_Undone_IsNotRolledForwardAgainUntilTheApplicationChanges()
    {
        // sluice rollout undo swapped source and target of the succeeded v1 -> v2
        var undone = Following("test-rolling-v2", "test-rolling-v1", RollingState.RolloutSucceed, lastSource: "test-rolling-v2", lastTarget: "test-rolling-v1");

        RolloutFollowing.Decide(undone, Revisions(2)).ShouldBe(FollowStep.Nothing);
        var step = RolloutFollowing.Decide(undone, Revisions(3));
        (step.Source, step.Target).ShouldBe(("test-rolling-v1", "test-rolling-v3"));
    }

    [Fact]
    public void Decide_RetriedMarkedRevisionSucceeded_ClearsItsMark()
    {
        var step = RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutSucceed), Revisions(2, (2, "follower: Aborted")));

        step.ClearMark.ShouldBe("test-rolling-v2");
        step.ChangesSpec.ShouldBeFalse();
    }

    [Fact]
    public void Decide_NotFollowingOrBeingDeleted_DoesNothing()
    {
        var plain = Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutSucceed) is var r ? r with { Spec = r.Spec with { Follow = null } } : null;
        RolloutFollowing.Decide(plain!, Revisions(3)).ShouldBe(FollowStep.Nothing);
        RolloutFollowing.Decide(Following("test-rolling-v1", "test-rolling-v2", RollingState.RolloutDeleting), Revisions(3)).ShouldBe(FollowStep.Nothing);
    }
}
