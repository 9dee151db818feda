using Sluice.Core.Api;
using Sluice.Core.Engine;
using static Sluice.Core.Tests.Engine.Specs;

namespace Sluice.Core.Tests.Engine;

/// <summary>The engine's traffic steps (spec/traffic.md) against in-memory routers: order, guards, the way back.</summary>
public class RolloutEngineTrafficTests
{
    private static readonly TrafficRouting Routing = new() { Service = "web", GatewayApi = new GatewayApiRouting { HttpRoutes = ["web"] } };

    private static RevisionObservation Revisions(int pods) => Upgrade(pods) with { SourceTemplateHash = "hash-v1", WorkloadKind = "CloneSet" };

    /// <summary>A canary of 5 pods in batches 1, 2, 2 with the given weights (null: the pods' share).</summary>
    private static RolloutHarness Canary(string?[] traffic, FakeWorkload? workload = null, Func<RolloutPlan, RolloutPlan>? change = null)
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p =>
        {
            var plan = p with
            {
                TrafficRouting = Routing,
                RolloutBatches = p.RolloutBatches!.Select((b, i) => b with { Traffic = traffic[i] }).ToArray(),
            };
            return change is null ? plan : change(plan);
        });
        workload ??= new FakeWorkload(WorkloadStyle.InPlace, 5);
        return new RolloutHarness(spec, workload, Revisions(5)) { Traffic = new FakeTraffic(workload) };
    }

    /// <summary>Reconciles to the end, checking after every step that no request could meet a Service with no ready pod.</summary>
    private static void RunGuarded(RolloutHarness harness, int max = 100)
    {
        for (var i = 0; i < max && harness.State is not (RollingState.RolloutSucceed or RollingState.RolloutFailed) && !harness.FinalizerRemoved; i++)
        {
            var before = harness.Status;
            var decision = harness.Reconcile();
            var traffic = harness.Traffic!;
            if (traffic.Weight > 0 || traffic.Matches.Count > 0 || traffic.Mirror > 0)
            {
                traffic.CanaryReady.ShouldBeGreaterThan(0, $"traffic to the target with no ready pod after {string.Join("; ", decision.TrafficIntents)}");
            }

            if (traffic.Weight < 100)
            {
                traffic.StableReady.ShouldBeGreaterThan(0, $"{100 - traffic.Weight}% to a stable Service with no ready pod ({harness.Trail[^1]})");
            }

            if (before is not null && decision.Intents.Count == 0 && decision.TrafficIntents.Count == 0 && decision.Status == before)
            {
                return;
            }
        }
    }

    [Fact]
    public void Decide_WeightedCanary_WritesEachWeightAfterItsPodsAndGoesTo100BeforeTheLastBatch()
    {
        var harness = Canary(["10%", "50%", null]);

        RunGuarded(harness);

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Traffic!.Applied.OfType<RouteTraffic>().Select(r => r.Weight).ShouldBe([0, 10, 50, 100]);
        var order = harness.Decisions.SelectMany(d => d.Intents.Select(i => i.ToString()).Concat(d.TrafficIntents.Select(i => i.ToString()))).ToList();
        order.IndexOf("route 100% to the target").ShouldBeLessThan(order.IndexOf("target 5"), "every request on the target before the last batch moves the source's last pods");
        harness.Traffic.Applied.OfType<PromoteStable>().ShouldHaveSingleItem();
        harness.Traffic.Applied[^1].ShouldBeOfType<ResetTraffic>();
        harness.Traffic.Touched.ShouldBeFalse();
        harness.Events.Count(e => e.Reason == "TrafficShifted").ShouldBe(3);
    }

    [Fact]
    public void Decide_WeightsAbsent_FollowThePodShare()
    {
        var harness = Canary([null, null, null]);

        RunGuarded(harness);

        harness.Traffic!.Applied.OfType<RouteTraffic>().Select(r => r.Weight).ShouldBe([0, 20, 60, 100]);
    }

    [Fact]
    public void Decide_ABTestByHeader_SendsMatchesToTheTargetOnlyOnceItHasReadyPods()
    {
        var match = new TrafficMatch { Headers = [new HeaderMatch { Name = "x-canary", Exact = "true" }] };
        var harness = Canary(["0%", "0%", null], change: p => p with
        {
            RolloutBatches = p.RolloutBatches!.Select((b, i) => i < 2 ? b with { Matches = [match] } : b).ToArray(),
        });

        RunGuarded(harness);

        var routes = harness.Traffic!.Applied.OfType<RouteTraffic>().ToList();
        routes[0].Matches.ShouldBeEmpty();
        routes[1].Matches.ShouldHaveSingleItem().ShouldBe(match);
        routes[1].Weight.ShouldBe(0);
        harness.State.ShouldBe(RollingState.RolloutSucceed);
    }

    [Fact]
    public void Decide_TargetNeverReady_SendsItNothingThenRollsBackAndPutsTheRoutesBack()
    {
        var workload = new FakeWorkload(WorkloadStyle.InPlace, 5) { TargetNeverReady = true };
        var harness = Canary(["10%", "50%", null], workload, p => p with { ProgressDeadlineSeconds = 10 });
        harness.Reconcile();
        harness.Decisions[^1].Intents.ShouldNotContain(new SetTarget(1), "the Services are pinned before any pod moves");
        harness.Reconcile();
        harness.Decisions[^1].Intents.ShouldContain(new SetTarget(1));
        harness.Time.Advance(TimeSpan.FromSeconds(11));

        RunGuarded(harness);

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Traffic!.Applied.OfType<RouteTraffic>().ShouldAllBe(r => r.Weight == 0);
        harness.Traffic.Touched.ShouldBeFalse("the routes and Services are put back after the rollback");
        workload.SourcePods.ShouldBe(5);
    }

    [Fact]
    public void Decide_AbortedMidway_TrafficBackOnTheSourceInItsOwnDecisionBeforeAnyPodMoves()
    {
        var harness = Canary(["10%", "50%", null], change: p => p with { BatchPartition = 1 });
        RunGuarded(harness);
        harness.Traffic!.Weight.ShouldBe(50);

        harness.AbortRequested = true;
        var abortedAt = harness.Decisions.Count;
        RunGuarded(harness);

        harness.State.ShouldBe(RollingState.RolloutFailed);
        var back = harness.Decisions.Skip(abortedAt).First(d => d.TrafficIntents.Contains(RouteTraffic.AllToStable));
        back.Intents.ShouldBeEmpty($"no pod moves in the decision that sends traffic back: {string.Join("; ", back.Intents)} {string.Join(" ", back.Transitions.Select(t => t.Event))}");
        var revert = harness.Decisions.IndexOf(harness.Decisions.First(d => d.Intents.Any(i => i is RevertWorkload)));
        revert.ShouldBeGreaterThan(harness.Decisions.IndexOf(back));
        harness.Traffic.Touched.ShouldBeFalse();
    }

    [Fact]
    public void Decide_TargetChangedMidway_TrafficBackInItsOwnDecisionThenPinnedAgainBeforeAnyPodMoves()
    {
        // Given a canary holding at its second batch, 40% of requests on v2
        var harness = Canary(["20%", "40%", null], change: p => p with { BatchPartition = 1 });
        RunGuarded(harness);
        harness.Traffic!.Weight.ShouldBe(40);

        // When the rollout is redirected to a v3
        harness.Spec = harness.Spec with { TargetAppRevisionName = "test-rolling-v3" };
        harness.Revisions = Revisions(5) with { TargetGeneration = "hash-v3" };
        var back = harness.Reconcile();
        var takeOver = harness.Reconcile();

        // Then every request goes back to v1 first, with nothing else touched in that decision
        back.TrafficIntents.ShouldBe([RouteTraffic.AllToStable]);
        back.Intents.ShouldBeEmpty();
        // and the new take-over, having put the Services back as found, pins them again before any pod moves
        takeOver.Intents.OfType<PrepareWorkload>().ShouldHaveSingleItem();
        takeOver.Intents.OfType<SetTarget>().ShouldBeEmpty($"no batch in the decision that re-pins the Services: {string.Join("; ", takeOver.Intents)}");
        takeOver.TrafficIntents.Select(i => i.GetType().Name).ShouldBe(["ResetTraffic", "PinServices", "RouteTraffic"]);
    }

    [Fact]
    public void Decide_OnFailurePause_KeepsEveryRequestOnTheSourceAndTheServicesPinned()
    {
        var harness = Canary(["10%", "50%", null], change: p => p with { BatchPartition = 1, OnFailure = OnFailure.Pause });
        RunGuarded(harness);

        harness.AbortRequested = true;
        RunGuarded(harness);

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Traffic!.Weight.ShouldBe(0);
        harness.Traffic.StableHash.ShouldBe("hash-v1", "unpinning would let traffic follow the pods into the failed revision");

        // And deleting the failed rollout puts the routes and Services back before the finalizer goes
        harness.Deleting = true;
        harness.Reconcile();
        harness.FinalizerRemoved.ShouldBeTrue();
        harness.Traffic.Touched.ShouldBeFalse();
    }

    [Fact]
    public void Decide_PauseForADuration_HoldsTheBatchThatLongAfterItsTrafficStep()
    {
        var harness = Canary(["10%", "50%", null], change: p => p with
        {
            RolloutBatches = p.RolloutBatches!.Select((b, i) => i == 0 ? b with { Pause = new RolloutPause { Duration = "5m" } } : b).ToArray(),
        });

        RunGuarded(harness);
        harness.Status!.BatchRollingState.ShouldBe(BatchRollingState.BatchPausing);
        harness.Decisions[^1].RequeueAfter.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));
        harness.Traffic!.Weight.ShouldBe(10);

        harness.Time.Advance(TimeSpan.FromMinutes(5));
        RunGuarded(harness);

        harness.State.ShouldBe(RollingState.RolloutSucceed);
    }

    [Fact]
    public void Decide_PauseUntilPromoted_HoldsUntilTheBatchIsPromoted()
    {
        var harness = Canary(["10%", "50%", null], change: p => p with
        {
            RolloutBatches = p.RolloutBatches!.Select((b, i) => i == 0 ? b with { Pause = new RolloutPause() } : b).ToArray(),
        });

        RunGuarded(harness);
        harness.Status!.BatchRollingState.ShouldBe(BatchRollingState.BatchPausing);
        harness.Status.Condition(ConditionTypes.WaitingForPromotion)!.Status.ShouldBe(ConditionStatus.True);
        harness.Time.Advance(TimeSpan.FromHours(2));
        RunGuarded(harness);
        harness.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchPausing);

        harness.PromotedBatch = 0;
        RunGuarded(harness);

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.Status.Condition(ConditionTypes.WaitingForPromotion)!.Status.ShouldBe(ConditionStatus.False);
    }

    [Fact]
    public void Decide_OneBatchWithARouter_IsRefusedBeforeAnythingIsTouched()
    {
        var workload = new FakeWorkload(WorkloadStyle.InPlace, 5);
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "100%").WithPlan(p => p with { TrafficRouting = Routing });
        var harness = new RolloutHarness(spec, workload, Revisions(5)) { Traffic = new FakeTraffic(workload) };

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Reason.ShouldBe("InvalidTrafficPlan");
        harness.Status.Condition(ConditionTypes.Failed)!.Message!.ShouldContain("needs at least two batches");
        workload.Applied.ShouldBeEmpty();
        harness.Traffic.Applied.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_RouterProblemFoundWhileVerifying_FailsNamingIt()
    {
        var harness = Canary(["10%", "50%", null]);
        harness.Revisions = harness.Revisions with { TrafficProblem = "spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[0]: Not found: \"web\"" };

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Message!.ShouldContain("httpRoutes[0]: Not found");
        harness.Traffic!.Applied.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_RevertedMidway_StartsItsRoutesAtTheShareTheTargetAlreadyHas()
    {
        // Given a workload where 4 of 5 pods already run the new target (a rollout in the other direction, reverted)
        var workload = new FakeWorkload(WorkloadStyle.InPlace, 5);
        var harness = Canary([null, null, null], workload);
        harness.Reconcile();
        workload.ForcePods(target: 4, source: 1);

        // (a fresh take-over of that state: a new rollout)
        var fresh = Canary([null, null, null], workload);
        fresh.Reconcile();

        fresh.Traffic!.Applied.OfType<RouteTraffic>().First().Weight.ShouldBe(80);
    }
}
