using Sluice.Core.Api;
using Sluice.Core.Engine;
using static Sluice.Core.Tests.Engine.Specs;

namespace Sluice.Core.Tests.Engine;

/// <summary>The engine's analysis step (analysis.md): a run per batch, what its phase does to the batch, terminate, attempts.</summary>
public class RolloutEngineAnalysisTests
{
    private static readonly CanaryMetric SuccessRate = new() { Name = "success-rate", TemplateRef = new MetricTemplateReference { Name = "request-success-rate" } };

    /// <summary>5 pods in batches 1, 2, 2; the first batch measured, the plan-wide metric none.</summary>
    private static RolloutHarness Harness(Func<string, AnalysisPhase?> phase, FakeWorkload? workload = null)
    {
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "1", "2", "2").WithPlan(p => p with
        {
            RolloutBatches = p.RolloutBatches!.Select((b, i) => i == 0 ? b with { CanaryMetric = [SuccessRate] } : b).ToArray(),
        });
        return new RolloutHarness(spec, workload ?? new FakeWorkload(WorkloadStyle.InPlace, 5), Upgrade(5))
        {
            Analysis = name => phase(name) is { } p ? Run(name, p) : null,
        };
    }

    private static AnalysisRun Run(string name, AnalysisPhase phase) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [AnalysisRun.BatchLabel] = name.Split('-')[^2] } },
        Spec = new AnalysisRunSpec { Metrics = [SuccessRate] },
        Status = new AnalysisRunStatus
        {
            Phase = phase,
            Message = $"metric success-rate {phase}",
            DecidedBy = phase == AnalysisPhase.Running ? null : new AnalysisDecider { Metric = "success-rate", Phase = phase },
        },
    };

    [Fact]
    public void Decide_BatchWithChecks_StartsItsRunAfterTheTrafficStepAndGoesOnOnlyWhenItPasses()
    {
        AnalysisPhase? phase = null;
        var harness = Harness(_ => phase);

        harness.RunToEnd();

        harness.Status!.AnalysisRun.ShouldBe("r-0-1");
        harness.Decisions.SelectMany(d => d.AnalysisIntents).OfType<StartAnalysis>().ShouldAllBe(s => s == new StartAnalysis(0, 1));
        harness.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchAnalyzing);
        harness.TargetsApplied().ShouldBe([1], "no second batch while the first is measured");

        phase = AnalysisPhase.Running;
        harness.RunToEnd();
        harness.Status.BatchRollingState.ShouldBe(BatchRollingState.BatchAnalyzing);
        harness.Decisions[^1].WaitingFor.ShouldNotBeNull().ShouldContain("success-rate");

        phase = AnalysisPhase.Successful;
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        harness.TargetsApplied().ShouldBe([1, 3, 5]);
        harness.Events.ShouldContain(e => e.Reason == "AnalysisPassed");
    }

    [Fact]
    public void Decide_RunFailed_FailsTheBatchAndRollsBack()
    {
        var harness = Harness(_ => AnalysisPhase.Failed);

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        var failed = harness.Status!.Condition(ConditionTypes.Failed)!;
        failed.Reason.ShouldBe("AnalysisFailed");
        failed.Message!.ShouldContain("success-rate");
        harness.Workload.SourcePods.ShouldBe(5);
    }

    [Fact]
    public void Decide_RunInconclusive_HoldsWithAConditionUntilPromoted()
    {
        var harness = Harness(_ => AnalysisPhase.Inconclusive);

        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RollingInBatches);
        var held = harness.Status!.Condition(ConditionTypes.WaitingForPromotion)!;
        held.Status.ShouldBe(ConditionStatus.True);
        held.Reason.ShouldBe("AnalysisInconclusive");
        held.Message!.ShouldContain("success-rate");

        harness.PromotedBatch = 0;
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
    }

    [Fact]
    public void Decide_AbortedWhileMeasuring_EndsTheRun()
    {
        var harness = Harness(_ => AnalysisPhase.Running);
        harness.RunToEnd();

        harness.AbortRequested = true;
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Decisions.SelectMany(d => d.AnalysisIntents).ShouldContain(new TerminateAnalysis("r-0-1"));
    }

    [Fact]
    public void Decide_StartedAgainAfterAChange_MeasuresWithANewAttemptsRun()
    {
        var harness = Harness(_ => AnalysisPhase.Failed);
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RolloutFailed);

        // When the spec changes (undo, a new target: here a new size) the rollout starts again
        harness.Spec = harness.Spec.WithPlan(p => p with { TargetSize = 5 });
        harness.Spec = harness.Spec with { TargetAppRevisionName = "test-rolling-v3" };
        harness.Revisions = harness.Revisions with { TargetGeneration = "hash-v3" };
        harness.Reconcile();
        harness.RunToEnd();

        harness.Status!.Attempt.ShouldBe(2);
        harness.Status.AnalysisRun.ShouldBe("r-0-2", "a new start never adopts the run of an earlier one");
    }

    [Fact]
    public void Decide_AnalysisProblemFoundWhileVerifying_FailsBeforeTouchingAnything()
    {
        var harness = Harness(_ => null);
        harness.AnalysisProblem = "spec.rolloutPlan.rolloutBatches[0].canaryMetric[0].templateRef: Not found: \"request-success-rate\"";

        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Status!.Condition(ConditionTypes.Failed)!.Reason.ShouldBe("InvalidAnalysis");
        harness.Workload.Applied.ShouldBeEmpty();
    }
}
