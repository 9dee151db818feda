using Sluice.Core.Api;
using Sluice.Core.Engine;
using static Sluice.Core.Tests.Engine.Specs;

namespace Sluice.Core.Tests.Engine;

public class RolloutEngineTests
{
    [Fact]
    public void Decide_ScaleFromNothingWithSeedPlan_GrowsOneThreeFiveAndSucceeds()
    {
        var harness = new RolloutHarness(Rollout(null, "test-rolling-v1", "10%", "40%", "50%"), new FakeWorkload(WorkloadStyle.InPlace), FromNothing(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.TargetsApplied().ShouldBe([1, 3, 5]);
        harness.Workload.TargetReady.ShouldBe(5);
        harness.Status!.UpgradedReplicas.ShouldBe(5);
        harness.Status.LastAppliedPodTemplateIdentifier.ShouldBe("hash-v1");
        harness.Status.Condition(ConditionTypes.Succeeded)!.Status.ShouldBe(ConditionStatus.True);
        harness.Workload.Applied.Last().ShouldBe(new ReleaseWorkload(Succeeded: true));
    }

    [Fact]
    public void Decide_InPlaceUpgrade_VisitsEveryBatchStateInOrder()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.TargetsApplied().ShouldBe([1, 3, 5]);
        var path = harness.Decisions.SelectMany(d => d.Transitions).Select(t => $"{t.Event}").ToList();
        path.ShouldBe([
            "AppLocated", "SpecVerified", "Initialized", "BatchInitialized", "BatchRolledOut",
            "BatchAvailable", "TrafficShifted", "PauseEnded", "AnalysisPassed", "BatchFinalized", "BatchApproved", "BatchInitialized", "BatchRolledOut",
            "BatchAvailable", "TrafficShifted", "PauseEnded", "AnalysisPassed", "BatchFinalized", "BatchApproved", "BatchInitialized", "BatchRolledOut",
            "BatchAvailable", "TrafficShifted", "PauseEnded", "AnalysisPassed", "AllBatchesFinished", "Finalized",
        ]);
        harness.Events.Where(e => e.Reason == "BatchAvailable").Select(e => e.Message).ShouldBe([
            "batch 1/3: 1 of 5 pods on test-rolling-v2, 1 ready",
            "batch 2/3: 3 of 5 pods on test-rolling-v2, 3 ready",
            "batch 3/3: 5 of 5 pods on test-rolling-v2, 5 ready",
        ]);
    }

    [Fact]
    public void Decide_FreshRollout_TakesSeveralTransitionsInOneReconcile()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));

        var decision = harness.Reconcile(settle: false);

        decision.Transitions.Select(t => t.Event.ToString()).ShouldBe(["AppLocated", "SpecVerified", "Initialized", "BatchInitialized", "BatchRolledOut"]);
        decision.Intents.ShouldBe([new PrepareWorkload(Sluice.Core.Plans.RolloutMode.Upgrade, 5, 5), new SetTarget(1)]);
        decision.Status.RollingState.ShouldBe(RollingState.RollingInBatches);
        decision.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchVerifying);
        decision.WaitingFor.ShouldNotBeNull().ShouldContain("batch 1/3");
    }

    [Fact]
    public void Decide_StaleObservation_DoesNotJudgeReadinessOrRepeatWrites()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile(settle: false);

        var again = harness.Reconcile(settle: false);

        again.Intents.ShouldBeEmpty();
        again.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchVerifying);
    }

    [Fact]
    public void Decide_PausedThenResumed_SetsAndClearsBatchPaused()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p => p with { Paused = true });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RollingInBatches);
        harness.Status!.BatchRollingState.ShouldBe(BatchRollingState.BatchInitializing);
        harness.Status.Condition(ConditionTypes.BatchPaused)!.Status.ShouldBe(ConditionStatus.True);
        harness.TargetsApplied().ShouldBeEmpty();

        harness.Spec = spec.WithPlan(p => p with { Paused = false });
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Status!.Condition(ConditionTypes.BatchPaused)!.Status.ShouldBe(ConditionStatus.False);
        harness.Events.Select(e => e.Reason).ShouldContain("Paused");
        harness.Events.Select(e => e.Reason).ShouldContain("Resumed");
    }

    [Fact]
    public void Decide_WorkloadNotYetSettledAfterTakeOver_KeepsThePodCountsItHad()
    {
        // An in-place upgrade taken over: until its controller sees the new spec, its status counts every pod
        // as "updated" against the old template.
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile(settle: false);
        var before = harness.Status!.UpgradedReplicas;
        var unsettled = harness.Workload.Snapshot() with { Settled = false, TargetPods = 5, TargetReady = 5 };

        var decision = harness.Engine.Decide(harness.Input() with { Workload = unsettled });

        decision.Status.UpgradedReplicas.ShouldBe(before);
        decision.Status.UpgradedReadyReplicas.ShouldBe(harness.Status.UpgradedReadyReplicas);
        harness.Engine.Decide(harness.Input() with { Workload = unsettled with { Settled = true, TargetPods = 1, TargetReady = 0 } })
            .Status.UpgradedReplicas.ShouldBe(1);
    }

    [Fact]
    public void Decide_PausedMidway_HoldsAtTheNextBatchStep()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2");
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Spec = spec.WithPlan(p => p with { Paused = true });

        harness.RunToEnd();

        harness.TargetsApplied().ShouldBe([1]);
        harness.State.ShouldBe(RollingState.RollingInBatches);
    }

    [Fact]
    public void Decide_BatchPartitionOne_ParksWithFourUpgradedUntilRaised()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "50%", "50%").WithPlan(p => p with { BatchPartition = 1 });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RollingInBatches);
        harness.Status!.BatchRollingState.ShouldBe(BatchRollingState.BatchReady);
        harness.Status.CurrentBatch.ShouldBe(1);
        harness.Status.UpgradedReplicas.ShouldBe(4);
        harness.Decisions[^1].WaitingFor.ShouldNotBeNull().ShouldContain("batchPartition");

        harness.Spec = spec.WithPlan(p => p with { BatchPartition = 2 });
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.TargetsApplied().ShouldBe([1, 4, 5]);
    }

    [Fact]
    public void Decide_BatchPartitionLoweredBelowCurrentBatch_FailsSayingSo()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "1", "1", "2").WithPlan(p => p with { BatchPartition = 2 });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.RunToEnd();
        harness.Status!.CurrentBatch.ShouldBe(2);

        harness.Spec = spec.WithPlan(p => p with { BatchPartition = 1 });
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        var failed = harness.Status!.Condition(ConditionTypes.Failed)!;
        failed.Reason.ShouldBe("PartitionLowered");
        failed.Message.ShouldNotBeNull().ShouldContain("lowered to 1, below the current batch index 2");
    }

    [Fact]
    public void Decide_TargetChangedMidway_AbandonsThenStartsOverOnTheNewTarget()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Reconcile();
        harness.Status!.CurrentBatch.ShouldBe(1);

        harness.Spec = harness.Spec with { TargetAppRevisionName = "test-rolling-v3" };
        harness.Revisions = Upgrade(5) with { TargetGeneration = "hash-v3" };
        var decision = harness.Reconcile();

        decision.Transitions.Select(t => t.Event.ToString()).Take(2).ShouldBe(["Modified", "Finalized"]);
        decision.Transitions[0].To.ShouldBe(RollingState.RolloutAbandoning);
        harness.Events.Select(e => e.Reason).ShouldContain("RolloutAbandoned");
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Status!.LastTargetAppRevision.ShouldBe("test-rolling-v3");
        harness.Status.TargetGeneration.ShouldBe("hash-v3");
    }

    [Fact]
    public void Decide_AbandonRepeatedAfterAConflict_TakesTheWorkloadOverAgainAfterReleasingIt()
    {
        // Given a reconcile that abandoned v2 for v3 and took the workload over for v3 applied its intents, but its
        // status write conflicted: the stored status is still v2's while the workload is already prepared for v3
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Reconcile();
        var stale = harness.Status;
        harness.Spec = harness.Spec with { TargetAppRevisionName = "test-rolling-v3" };
        harness.Revisions = Upgrade(5) with { TargetGeneration = "hash-v3" };
        harness.Reconcile();
        harness.Workload.Prepared.ShouldBeTrue();
        harness.Status = stale;

        // When the next reconcile repeats the abandon from that status
        var decision = harness.Reconcile(settle: false);

        // Then the release is followed by a take-over, so the workload stays held by the rollout
        var lifecycle = decision.Intents.Where(i => i is ReleaseWorkload or PrepareWorkload).Select(i => i.GetType().Name).ToList();
        lifecycle.ShouldBe(["ReleaseWorkload", "PrepareWorkload"]);
        harness.Workload.Prepared.ShouldBeTrue();
    }

    [Fact]
    public void Decide_SucceededRolloutGivenANewTarget_StartsOver()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RolloutSucceed);

        harness.Spec = harness.Spec with { SourceAppRevisionName = "test-rolling-v2", TargetAppRevisionName = "test-rolling-v3" };
        var decision = harness.Reconcile();

        decision.Transitions[0].Event.ToString().ShouldBe("Modified");
        decision.Transitions[0].To.ShouldBe(RollingState.LocatingTargetApp);
        harness.Status!.LastTargetAppRevision.ShouldBe("test-rolling-v3");
    }

    [Fact]
    public void Decide_DeletedMidwayWithRevertOnDelete_PutsSourceBackBeforeTheFinalizerGoes()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2") with { RevertOnDelete = true };
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Reconcile();
        harness.Deleting = true;

        var first = harness.Reconcile(settle: false);

        first.Status.RollingState.ShouldBe(RollingState.RolloutDeleting);
        first.Intents.OfType<RevertWorkload>().ShouldHaveSingleItem();
        first.RemoveFinalizer.ShouldBeFalse();

        harness.Workload.Settle();
        harness.RunToEnd();

        harness.FinalizerRemoved.ShouldBeTrue();
        harness.Workload.SourceReady.ShouldBe(5);
        harness.Workload.TargetPods.ShouldBe(0);
    }

    [Fact]
    public void Decide_DeletedMidwayWithoutRevert_LeavesItPausedReleasesAndRemovesTheFinalizerAtOnce()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Deleting = true;

        var decision = harness.Reconcile();

        decision.RemoveFinalizer.ShouldBeTrue();
        decision.Intents.ShouldBe([new PauseWorkload(), new ReleaseWorkload(Succeeded: false)]);
        harness.Workload.TargetPods.ShouldBe(1);
        decision.Events.ShouldContain(e => e.Reason == "RolloutDeleted" && e.Message.Contains("left paused", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_DeletedBeforeTouchingTheWorkload_ReleasesWithoutPausing()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v9", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5),
            RevisionObservation.Missing("RevisionNotFound", "ApplicationRevision \"test-rolling-v9\" not found"));
        harness.Reconcile();
        harness.Deleting = true;

        var decision = harness.Reconcile();

        decision.RemoveFinalizer.ShouldBeTrue();
        decision.Intents.ShouldNotContain(new PauseWorkload());
    }

    [Fact]
    public void Decide_DeletedAfterSuccess_OnlyRemovesTheFinalizer()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.RunToEnd();
        harness.Deleting = true;

        var decision = harness.Reconcile();

        decision.RemoveFinalizer.ShouldBeTrue();
        decision.Intents.ShouldBeEmpty();
        decision.Status.RollingState.ShouldBe(RollingState.RolloutSucceed);
    }

    [Fact]
    public void Decide_BatchNeverReady_FailsAtTheDeadlineAndRollsBack()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p => p with { ProgressDeadlineSeconds = 30 });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5) { TargetNeverReady = true }, Upgrade(5));
        harness.Reconcile();
        var waiting = harness.Reconcile();
        waiting.RequeueAfter.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(31));
        harness.State.ShouldBe(RollingState.RollingInBatches);

        harness.Time.Advance(TimeSpan.FromSeconds(31));
        var failing = harness.Reconcile();

        failing.Status.RollingState.ShouldBe(RollingState.RolloutFailing);
        failing.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchVerifyFailed);
        failing.Intents.OfType<RevertWorkload>().ShouldHaveSingleItem();
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Workload.SourceReady.ShouldBe(5);
        var failed = harness.Status!.Condition(ConditionTypes.Failed)!;
        failed.Reason.ShouldBe("ProgressDeadlineExceeded");
        failed.Message.ShouldNotBeNull().ShouldContain("batch 1 not available within 30s");
        failed.Message.ShouldContain("rolled back");
        harness.Events.ShouldContain(e => e.Warning && e.Reason == "RolloutFailed");
    }

    [Fact]
    public void Decide_BatchNeverReadyWithOnFailurePause_LeavesTheWorkloadPaused()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2")
            .WithPlan(p => p with { ProgressDeadlineSeconds = 30, OnFailure = OnFailure.Pause });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5) { TargetNeverReady = true }, Upgrade(5));
        harness.Reconcile();
        harness.Time.Advance(TimeSpan.FromSeconds(31));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Workload.Paused.ShouldBeTrue();
        harness.Workload.TargetPods.ShouldBe(1);
        harness.Workload.Applied.OfType<RevertWorkload>().ShouldBeEmpty();
    }

    [Fact]
    public void Decide_AbortedMidway_FailsWithReasonAbortedAndRollsBack()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Reconcile();
        harness.Workload.TargetPods.ShouldBeGreaterThan(0);

        harness.AbortRequested = true;
        var aborting = harness.Reconcile();

        aborting.Status.RollingState.ShouldBe(RollingState.RolloutFailing);
        aborting.Intents.OfType<RevertWorkload>().ShouldHaveSingleItem();
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Workload.TargetPods.ShouldBe(0);
        harness.Workload.SourceReady.ShouldBe(5);
        var failed = harness.Status!.Condition(ConditionTypes.Failed)!;
        failed.Reason.ShouldBe("Aborted");
        failed.Message.ShouldNotBeNull().ShouldContain("rollout.sluice.dev/abort");
        failed.Message.ShouldContain("rolled back");
        harness.Events.ShouldContain(e => e.Warning && e.Reason == "Aborted");
    }

    [Fact]
    public void Decide_AbortedWithOnFailurePause_LeavesTheWorkloadPausedAsItIs()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p => p with { OnFailure = OnFailure.Pause });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.Reconcile();
        harness.Reconcile();
        var upgraded = harness.Workload.TargetPods;

        harness.AbortRequested = true;
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Workload.Paused.ShouldBeTrue();
        harness.Workload.TargetPods.ShouldBe(upgraded);
        harness.Status!.Condition(ConditionTypes.Failed)!.Reason.ShouldBe("Aborted");
    }

    [Fact]
    public void Decide_AbortedBeforeAnythingWasTouched_FailsAtOnceWithoutIntents()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5))
        {
            AbortRequested = true,
        };

        var decision = harness.Reconcile();

        decision.Status.RollingState.ShouldBe(RollingState.RolloutFailed);
        decision.Intents.ShouldBeEmpty();
        decision.Status.Condition(ConditionTypes.Failed)!.Reason.ShouldBe("Aborted");
    }

    [Fact]
    public void Decide_AbortAfterSuccess_ChangesNothing()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RolloutSucceed);

        harness.AbortRequested = true;
        var decision = harness.Reconcile();

        decision.Status.RollingState.ShouldBe(RollingState.RolloutSucceed);
        decision.Intents.ShouldBeEmpty();
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_ZeroDeadline_WaitsForever()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p => p with { ProgressDeadlineSeconds = 0 });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5) { TargetNeverReady = true }, Upgrade(5));
        harness.Reconcile();
        harness.Time.Advance(TimeSpan.FromDays(3));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RollingInBatches);
    }

    [Fact]
    public void Decide_ScaleDownTenToZero_ShrinksNineSevenTwoZero()
    {
        var harness = new RolloutHarness(Rollout(null, "app-v1", "1", "20%", "50%", "2"), new FakeWorkload(WorkloadStyle.InPlace), Scale(10, 0));
        harness.Workload.Apply(new PrepareWorkload(Sluice.Core.Plans.RolloutMode.Scale, 10, 10));
        harness.Workload.Apply(new SetTarget(10));
        harness.Workload.Settle();
        harness.Workload.Applied.Clear();

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.TargetsApplied().ShouldBe([9, 7, 2, 0]);
    }

    [Fact]
    public void Decide_TwoObjectsIncreaseFirst_GrowsTargetBeforeShrinkingSource()
    {
        var harness = new RolloutHarness(Rollout("app-v1", "app-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.TwoObject, 5), Upgrade(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Workload.Applied.Where(i => i is SetTarget or SetSource).Select(i => i.ToString()).ShouldBe([
            "target 1", "source 4", "target 3", "source 2", "target 5", "source 0",
        ]);
        harness.Workload.SourcePods.ShouldBe(0);
    }

    [Fact]
    public void Decide_TwoObjectsDecreaseFirst_ShrinksSourceBeforeGrowingTarget()
    {
        var spec = Rollout("app-v1", "app-v2", "1", "2", "2").WithPlan(p => p with { RolloutStrategy = RolloutStrategy.DecreaseFirst });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.TwoObject, 5), Upgrade(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Workload.Applied.Where(i => i is SetTarget or SetSource).Select(i => i.ToString()).ShouldBe([
            "source 4", "target 1", "source 2", "target 3", "source 0", "target 5",
        ]);
    }

    [Fact]
    public void Decide_InvalidPlanForTheActualSize_FailsWithoutTouchingTheWorkload()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "1"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Workload.Applied.ShouldBeEmpty();
        harness.Status!.Condition(ConditionTypes.Failed)!.Message
            .ShouldBe("spec.rolloutPlan.rolloutBatches[2].replicas: Invalid value: 1: the rollout plan batch size mismatch, total batch size = 4, totalReplicas size = 5 (upgrade of 5 pods)");
    }

    [Fact]
    public void Decide_UnknownRevision_WaitsWithAConditionThenFailsAtTheDeadline()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v9", "1", "2", "2").WithPlan(p => p with { ProgressDeadlineSeconds = 60 });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5),
            RevisionObservation.Missing("RevisionNotFound", "ApplicationRevision \"test-rolling-v9\" not found"));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.LocatingTargetApp);
        harness.Decisions[^1].RequeueAfter.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(61), "look again at the deadline");
        harness.Status!.Condition(ConditionTypes.Progressing)!.Reason.ShouldBe("RevisionNotFound");
        harness.Events.Count(e => e.Reason == "RevisionNotFound").ShouldBe(1);

        harness.Time.Advance(TimeSpan.FromSeconds(61));
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Message.ShouldNotBeNull().ShouldStartWith("ApplicationRevision \"test-rolling-v9\" not found");
        harness.Workload.Applied.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_RevisionsGoneWhileFinalising_EmitsNoIntentForAWorkloadItCannotSee()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "2", "3"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.RunToEnd();
        harness.Spec = harness.Spec with { TargetAppRevisionName = "test-rolling-v3" };
        var input = harness.Input() with { Workload = null, Revisions = RevisionObservation.Missing("RevisionNotFound", "gone") };

        var decision = harness.Engine.Decide(input);

        decision.Intents.ShouldBeEmpty();
        decision.Status.RollingState.ShouldBe(RollingState.LocatingTargetApp);
    }

    [Fact]
    public void Decide_UnusableComponent_FailsWithThatNotWithThePlan()
    {
        var harness = new RolloutHarness(Rollout(null, "app-v1", "1", "4"), new FakeWorkload(WorkloadStyle.InPlace),
            new RevisionObservation { WorkloadProblem = "spec.componentList[0]: Invalid value: \"nope\"" });

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Message.ShouldBe("spec.componentList[0]: Invalid value: \"nope\"");
    }

    [Fact]
    public void Decide_Webhooks_AreCalledInOrderAtEachGate()
    {
        RolloutWebhook Hook(WebhookType type) => new() { Type = type, Name = type.ToString(), Url = "http://127.0.0.1:1/hook" };
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "2", "3").WithPlan(p => p with
        {
            RolloutWebhooks = [Hook(WebhookType.InitializeRollout), Hook(WebhookType.PreBatchRollout), Hook(WebhookType.PostBatchRollout), Hook(WebhookType.FinalizeRollout)],
        });
        var calls = new List<string>();
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5))
        {
            Webhooks = gate => { calls.Add($"{gate.Key}@{RolloutHarness.Name<RollingState>(gate.Phase)}"); return GateResult.Passed(); },
        };

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        calls.ShouldBe([
            "initialize-rollout/0@initializing",
            "pre-batch-rollout/0@rollingInBatches", "post-batch-rollout/0@rollingInBatches",
            "pre-batch-rollout/1@rollingInBatches", "post-batch-rollout/1@rollingInBatches",
            "finalize-rollout/0@finalising",
        ]);
    }

    [Fact]
    public void Decide_WebhookFails_FailsTheRollout()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "2", "3").WithPlan(p => p with
        {
            RolloutWebhooks = [new RolloutWebhook { Type = WebhookType.PostBatchRollout, Name = "check", Url = "http://127.0.0.1:1/" }],
        });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5))
        {
            Webhooks = _ => GateResult.Failed("check answered 500"),
        };

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Reason.ShouldBe("WebhookFailed");
        harness.Workload.SourceReady.ShouldBe(5);
    }

    [Fact]
    public void Decide_WebhookPending_WaitsAndRequeues()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "2", "3").WithPlan(p => p with
        {
            RolloutWebhooks = [new RolloutWebhook { Type = WebhookType.PreBatchRollout, Name = "slow", Url = "http://127.0.0.1:1/" }],
        });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5))
        {
            Webhooks = _ => GateResult.Waiting("timed out after 10s"),
        };

        var decision = harness.Reconcile();

        decision.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchInitializing);
        decision.RequeueAfter.ShouldBe(RolloutEngine.WebhookRetryInterval);
        decision.Status.Condition(ConditionTypes.WebhooksPassed)!.Status.ShouldBe(ConditionStatus.False);
        harness.Workload.Applied.OfType<SetTarget>().ShouldBeEmpty();
    }

    [Fact]
    public void Decide_ObservedGeneration_FollowsTheSpec()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "2", "3"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5)) { Generation = 7 };

        harness.Reconcile();

        harness.Status!.ObservedGeneration.ShouldBe(7);
    }

    [Fact]
    public void Decide_Succeeded_WritesKubeVelasConditionTypesWithKubernetesTimes()
    {
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2"), new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));

        harness.RunToEnd();

        var types = harness.Status!.Conditions!.Where(c => c.Status == ConditionStatus.True).Select(c => c.Type).ToList();
        types.ShouldContain("RolloutSucceed");
        types.ShouldContain("RolloutSpecVerifying");
        types.ShouldContain("RolloutInitializing");
        types.ShouldContain("RolloutInProgress");
        types.ShouldContain("RolloutFinalizing");
        types.ShouldNotContain("RolloutSucceeded");
        var json = SluiceJson.ToNode(harness.Status).ToJsonString();
        json.ShouldContain("\"lastTransitionTime\":\"2026-11-26T12:");
        json.ShouldMatch("\"lastTransitionTime\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"");
    }

    [Fact]
    public void Decide_FailedInABatch_SetsThatPhasesConditionFalseWithTheReason()
    {
        var workload = new FakeWorkload(WorkloadStyle.InPlace, 5) { TargetNeverReady = true };
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p => p with { ProgressDeadlineSeconds = 10 });
        var harness = new RolloutHarness(spec, workload, Upgrade(5));
        harness.Reconcile();
        harness.Time.Advance(TimeSpan.FromSeconds(11));

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        var inProgress = harness.Status!.Condition(ConditionTypes.InProgress)!;
        inProgress.Status.ShouldBe(ConditionStatus.False);
        inProgress.Reason.ShouldBe("ProgressDeadlineExceeded");
        harness.Status.Condition(ConditionTypes.Failed)!.Status.ShouldBe(ConditionStatus.True);
        harness.Status.Condition(ConditionTypes.Succeeded).ShouldBeNull();
    }

    [Fact]
    public void Decide_PlanShortenedBelowTheCurrentBatch_GoesOnWithItsLastBatchAndSucceeds()
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "1", "1", "1", "1").WithPlan(p => p with { BatchPartition = 3 });
        var harness = new RolloutHarness(spec, new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5));
        harness.RunToEnd();
        harness.Status!.CurrentBatch.ShouldBe(3);
        harness.Workload.TargetPods.ShouldBe(4);

        // When the plan is edited to two batches while the rollout stands at batch index 3
        harness.Spec = Rollout("test-rolling-v1", "test-rolling-v2", "50%", "50%");
        harness.RunToEnd();

        // Then it goes on with the new plan's last batch: every pod on the target
        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Workload.TargetPods.ShouldBe(5);
        harness.Events.ShouldContain(e => e.Reason == "PlanShortened");
        harness.Decisions.SelectMany(d => d.Transitions).Select(t => t.Event.ToString()).ShouldContain("PlanShortened");
    }

    [Fact]
    public void Decide_InvalidPlan_SaysWhereTheSizeCameFrom()
    {
        var revisions = Upgrade(5) with { SizeOrigin = "target size 5 from the source workload's current size (CloneSet web: 5)" };
        var harness = new RolloutHarness(Rollout("test-rolling-v1", "test-rolling-v2", "3", "3", "50%"), new FakeWorkload(WorkloadStyle.InPlace, 5), revisions);

        harness.RunToEnd();

        harness.Status!.Condition(ConditionTypes.Failed)!.Message.ShouldBe(
            "spec.rolloutPlan.rolloutBatches[1].replicas: Invalid value: 3: the batches up to this one move 6 of 5 pods, leaving none for the last batch "
            + "(upgrade of 5 pods: target size 5 from the source workload's current size (CloneSet web: 5))");
    }
}
