using System.Text.Json.Nodes;
using Sluice.Controllers.Notifications;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Notifications;

public class NotificationTriggersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static AppRollout Rollout(RollingState state, BatchRollingState? batch, int currentBatch, params Condition[] conditions) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "shop" },
        Spec = new AppRolloutSpec
        {
            SourceAppRevisionName = "web-v1",
            TargetAppRevisionName = "web-v2",
            RolloutPlan = new RolloutPlan { RolloutBatches = [new RolloutBatch(), new RolloutBatch(), new RolloutBatch()] },
        },
        Status = new AppRolloutStatus
        {
            RollingState = state,
            BatchRollingState = batch,
            CurrentBatch = currentBatch,
            Conditions = [Verified(), .. conditions],
        },
    };

    private static Condition Verified(int seconds = 0) =>
        new() { Type = "RolloutSpecVerifying", Status = ConditionStatus.True, Reason = "SpecVerified", LastTransitionTime = T0.AddSeconds(seconds) };

    private static Condition Failed(string reason, int seconds) =>
        new() { Type = "RolloutFailed", Status = ConditionStatus.True, Reason = reason, Message = "why", LastTransitionTime = T0.AddSeconds(seconds) };

    private static List<string> Triggers(AppRollout rollout) => NotificationTriggers.Occurrences(rollout).Select(o => o.Trigger).ToList();

    [Fact]
    public void Occurrences_NoStatusOrNotVerified_None()
    {
        var rollout = Rollout(RollingState.VerifyingSpec, null, 0) with { Status = new AppRolloutStatus { RollingState = RollingState.LocatingTargetApp } };

        NotificationTriggers.Occurrences(rollout).ShouldBeEmpty();
        NotificationTriggers.Occurrences(rollout with { Status = null }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RollingState.Initializing, null, 0, new[] { "on-started" })]
    [InlineData(RollingState.RollingInBatches, BatchRollingState.BatchInRolling, 0, new[] { "on-started" })]
    [InlineData(RollingState.RollingInBatches, BatchRollingState.BatchReady, 0, new[] { "on-started", "on-batch-finished" })]
    [InlineData(RollingState.RollingInBatches, BatchRollingState.BatchInitializing, 2, new[] { "on-started", "on-batch-finished", "on-batch-finished" })]
    [InlineData(RollingState.Finalising, BatchRollingState.BatchReady, 2, new[] { "on-started", "on-batch-finished", "on-batch-finished", "on-batch-finished" })]
    public void Occurrences_UnderWay_StartedAndEachFinishedBatch(RollingState state, BatchRollingState? batch, int current, string[] expected) =>
        Triggers(Rollout(state, batch, current)).ShouldBe(expected);

    [Fact]
    public void Occurrences_Succeeded_EveryBatchThenSucceededWithStableIds()
    {
        var rollout = Rollout(RollingState.RolloutSucceed, BatchRollingState.BatchReady, 2,
            new Condition { Type = "RolloutSucceed", Status = ConditionStatus.True, LastTransitionTime = T0.AddSeconds(40) });

        var occurrences = NotificationTriggers.Occurrences(rollout);

        occurrences.Select(o => o.Trigger).ShouldBe(["on-started", "on-batch-finished", "on-batch-finished", "on-batch-finished", "on-succeeded"]);
        occurrences.Select(o => o.Id).ShouldBeUnique();
        occurrences.Select(o => o.Id).ShouldBe(NotificationTriggers.Occurrences(rollout).Select(o => o.Id));
        occurrences[^1].Message.ShouldBe("AppRollout shop/web succeeded: web-v1 to web-v2");
        occurrences[2].Message.ShouldBe("AppRollout shop/web: batch 2 of 3 finished (web-v1 to web-v2)");
    }

    [Fact]
    public void Occurrences_Retried_NewIdsForTheNewAttempt()
    {
        var first = NotificationTriggers.Occurrences(Rollout(RollingState.Initializing, null, 0)).Single();
        var retried = NotificationTriggers.Occurrences(Rollout(RollingState.Initializing, null, 0) with
        {
            Status = new AppRolloutStatus { RollingState = RollingState.Initializing, Conditions = [Verified(seconds: 300)] },
        }).Single();

        retried.Id.ShouldNotBe(first.Id);
    }

    [Fact]
    public void Occurrences_Paused_OnePerPause()
    {
        var paused = new Condition { Type = "BatchPaused", Status = ConditionStatus.True, Message = "paused at batch index 1", LastTransitionTime = T0.AddSeconds(10) };

        var occurrences = NotificationTriggers.Occurrences(Rollout(RollingState.RollingInBatches, BatchRollingState.BatchInitializing, 1, paused));
        var resumed = NotificationTriggers.Occurrences(Rollout(RollingState.RollingInBatches, BatchRollingState.BatchInitializing, 1, paused with { Status = ConditionStatus.False }));

        occurrences.Select(o => o.Trigger).ShouldBe(["on-started", "on-batch-finished", "on-paused"]);
        resumed.Select(o => o.Trigger).ShouldNotContain("on-paused");
    }

    [Fact]
    public void Occurrences_FailingThenFailed_FailedOnlyOnceEnded()
    {
        Triggers(Rollout(RollingState.RolloutFailing, BatchRollingState.BatchVerifyFailed, 0, Failed("BatchFailed", 20))).ShouldBe(["on-started"]);
        Triggers(Rollout(RollingState.RolloutFailed, BatchRollingState.BatchVerifyFailed, 0, Failed("BatchFailed", 20))).ShouldBe(["on-started", "on-failed"]);
    }

    [Fact]
    public void Occurrences_Aborted_AbortedAtOnceAndNeverFailed()
    {
        Triggers(Rollout(RollingState.RolloutFailing, BatchRollingState.BatchVerifyFailed, 0, Failed("Aborted", 20))).ShouldBe(["on-started", "on-aborted"]);
        Triggers(Rollout(RollingState.RolloutFailed, BatchRollingState.BatchVerifyFailed, 0, Failed("Aborted", 20))).ShouldBe(["on-started", "on-aborted"]);
    }

    [Fact]
    public void Occurrences_AnalysisFailed_AnalysisFailedAtOnceAndFailedOnceEnded()
    {
        Triggers(Rollout(RollingState.RolloutFailing, BatchRollingState.BatchVerifyFailed, 1, Failed("AnalysisFailed", 20)))
            .ShouldBe(["on-started", "on-batch-finished", "on-analysis-failed"]);
        Triggers(Rollout(RollingState.RolloutFailed, BatchRollingState.BatchVerifyFailed, 1, Failed("AnalysisFailed", 20)))
            .ShouldBe(["on-started", "on-batch-finished", "on-failed", "on-analysis-failed"]);
    }

    [Fact]
    public void Parse_Annotations_SubscriptionsAndProblemsNamingTheAnnotation()
    {
        var (subscriptions, problems) = Subscription.Parse(new Dictionary<string, string>
        {
            ["notifications.sluice.dev/subscribe.on-failed.slack"] = "#ops; #team",
            ["notifications.sluice.dev/subscribe.on-succeeded.audit"] = "",
            ["notifications.sluice.dev/subscribe.on-finished.slack"] = "#ops",
            ["notifications.sluice.dev/subscribe.on-failed"] = "x",
            ["other.example/annotation"] = "x",
        });

        subscriptions.ShouldBe([new Subscription("on-failed", "slack", ["#ops", "#team"]), new Subscription("on-succeeded", "audit", [""])],
            ignoreOrder: true, comparer: new SubscriptionComparer());
        problems.ShouldBe([
            "annotation notifications.sluice.dev/subscribe.on-finished.slack: unknown trigger \"on-finished\" (known: on-started, on-batch-finished, on-paused, on-succeeded, on-failed, on-aborted, on-analysis-failed)",
            "annotation notifications.sluice.dev/subscribe.on-failed: want notifications.sluice.dev/subscribe.<trigger>.<service>",
        ], ignoreOrder: true);
    }

    private sealed class SubscriptionComparer : IEqualityComparer<Subscription>
    {
        public bool Equals(Subscription? x, Subscription? y) =>
            x!.Trigger == y!.Trigger && x.Service == y.Service && x.Recipients.SequenceEqual(y.Recipients);

        public int GetHashCode(Subscription obj) => HashCode.Combine(obj.Trigger, obj.Service);
    }
}
