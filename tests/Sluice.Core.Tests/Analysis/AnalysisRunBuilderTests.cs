using Sluice.Core.Analysis;
using Sluice.Core.Api;
using static Sluice.Core.Tests.Analysis.Metrics;

namespace Sluice.Core.Tests.Analysis;

public class AnalysisRunBuilderTests
{
    private static readonly AnalysisVariables Variables = new() { Namespace = "shop", Component = "web", SourceRevision = "web-v1", TargetRevision = "web-v2", CanaryService = "web-canary" };

    private static AnalysisRunRequest Request(params CanaryMetric[] batch) => new()
    {
        RolloutName = "web-rollout", RolloutNamespace = "shop", RolloutUid = "uid-1", Batch = 1, Attempt = 2,
        PlanMetrics = [Prometheus("plan-metric")], BatchMetrics = batch, Variables = Variables, PauseSeconds = 120,
    };

    [Fact]
    public void Build_NamesLabelsAndOwnsTheRun()
    {
        var run = AnalysisRunBuilder.Build(Request(Prometheus("batch-metric")), out var errors);

        errors.ShouldBeEmpty();
        run.Metadata.Name.ShouldBe("web-rollout-1-2");
        run.Metadata.Namespace.ShouldBe("shop");
        run.Metadata.Labels!.ShouldBe(new Dictionary<string, string> { [AnalysisRun.RolloutLabel] = "web-rollout", [AnalysisRun.BatchLabel] = "1" });
        var owner = run.Metadata.OwnerReferences!.Single();
        (owner.Kind, owner.Name, owner.Uid, owner.Controller).ShouldBe(("AppRollout", "web-rollout", "uid-1", (bool?)true));
        run.Spec.Metrics!.Select(m => m.Name).ShouldBe(["plan-metric", "batch-metric"]);
        run.Spec.Variables!["targetRevision"].ShouldBe("web-v2");
        run.Spec.Variables["batch"].ShouldBe("1");
        run.Spec.Variables["service"].ShouldBe("");
        run.Spec.PauseSeconds.ShouldBe(120);
    }

    [Fact]
    public void Build_SameRequest_SameRun() =>
        SluiceJson.Serialize(AnalysisRunBuilder.Build(Request(), out _)).ShouldBe(SluiceJson.Serialize(AnalysisRunBuilder.Build(Request(), out _)));

    [Fact]
    public void Build_TemplateRef_IsInlinedFromTheRolloutsNamespaceBeforeTheSystemOne()
    {
        var metric = new CanaryMetric { Name = "rate", TemplateRef = new MetricTemplateReference { Kind = "MetricTemplate", Name = "t" }, MetricsRange = new MetricsRange { Min = NumberOrString.FromNumber(99) } };
        var mine = new MetricTemplateSpec { Provider = new MetricProvider { Prometheus = new PrometheusMetric { Query = "mine" } }, SuccessCondition = "result > 1" };
        var shipped = new MetricTemplateSpec { Provider = new MetricProvider { Prometheus = new PrometheusMetric { Query = "shipped" } } };
        var request = Request(metric) with
        {
            Templates = new Dictionary<string, MetricTemplateSpec> { ["shop/t"] = mine, ["vela-system/t"] = shipped },
        };

        var inlined = AnalysisRunBuilder.Build(request, out var errors).Spec.Metrics![1];

        errors.ShouldBeEmpty();
        inlined.TemplateRef.ShouldBeNull();
        inlined.Provider!.Prometheus!.Query.ShouldBe("mine");
        inlined.SuccessCondition.ShouldBeNull();
        inlined.MetricsRange!.Min!.Text.ShouldBe("99");
    }

    [Fact]
    public void Build_MissingTemplate_IsAnErrorNamingTheBatchField()
    {
        var metric = new CanaryMetric { Name = "rate", TemplateRef = new MetricTemplateReference { Name = "gone" } };

        AnalysisRunBuilder.Build(Request(metric), out var errors);

        errors.Single().Message.ShouldBe("spec.rolloutPlan.rolloutBatches[1].canaryMetric[0].templateRef: Not found: MetricTemplate \"gone\" in namespace shop or vela-system");
    }

    [Fact]
    public void Outcome_FailedRun_NamesTheMetricAndValue()
    {
        var run = AnalysisRunBuilder.Build(Request(), out _) with
        {
            Status = new AnalysisRunStatus
            {
                Phase = AnalysisPhase.Failed,
                Message = "metric plan-metric failed: 2 of 2 measurements failed",
                DecidedBy = new AnalysisDecider { Metric = "plan-metric", Phase = AnalysisPhase.Failed, Value = System.Text.Json.Nodes.JsonValue.Create(79.6) },
            },
        };

        var outcome = AnalysisOutcome.Of(run);

        outcome.ShouldBe(new AnalysisOutcome(AnalysisPhase.Failed, "analysis web-rollout-1-2 failed: metric plan-metric failed: 2 of 2 measurements failed", "plan-metric", "79.6"));
    }

    [Fact]
    public void Outcome_NotPickedUpYet_IsRunning() =>
        AnalysisOutcome.Of(AnalysisRunBuilder.Build(Request(), out _)).IsDecided.ShouldBeFalse();

    [Fact]
    public void Prune_KeepsTheNewestAndRunningOnes()
    {
        AnalysisRun Run(string name, int minute, AnalysisPhase? phase) => new()
        {
            Metadata = new ObjectMeta { Name = name, CreationTimestamp = T0.AddMinutes(minute) },
            Spec = new AnalysisRunSpec(),
            Status = phase is null ? null : new AnalysisRunStatus { Phase = phase },
        };

        AnalysisRunPruning.ToPrune([Run("a-0-1", 0, AnalysisPhase.Successful), Run("a-1-1", 1, AnalysisPhase.Failed), Run("a-1-2", 2, null), Run("a-2-1", 3, AnalysisPhase.Successful)], keep: 1)
            .ShouldBe(["a-1-1", "a-0-1"]);
    }
}
