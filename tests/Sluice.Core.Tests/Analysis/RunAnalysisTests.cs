using Sluice.Core.Analysis;
using Sluice.Core.Api;
using static Sluice.Core.Api.AnalysisPhase;
using static Sluice.Core.Tests.Analysis.Metrics;

namespace Sluice.Core.Tests.Analysis;

public class RunAnalysisTests
{
    private static readonly CanaryMetric Errors = Prometheus("errors") with { Interval = "10s", Count = 2 };
    private static readonly CanaryMetric Latency = Prometheus("latency") with { Interval = "20s", Count = 2 };

    private static AnalysisRunSpec Spec(params CanaryMetric[] metrics) => new() { Metrics = metrics };

    private static AnalysisRunStatus Started(AnalysisRunSpec spec) => RunAnalysis.Start(spec, T0);

    [Fact]
    public void Evaluate_Fresh_EveryMetricIsDueAtOnce()
    {
        var spec = Spec(Errors, Latency);

        var progress = RunAnalysis.Evaluate(spec, Started(spec), T0);

        progress.Status.Phase.ShouldBe(Running);
        progress.Due.ShouldBe(["errors", "latency"]);
    }

    [Fact]
    public void Evaluate_AfterMeasuring_NextIsTheEarliestDue()
    {
        var spec = Spec(Errors, Latency);
        var status = RunAnalysis.Record(RunAnalysis.Record(Started(spec), Errors, At(Successful, 0)), Latency, At(Successful, 0));

        var progress = RunAnalysis.Evaluate(spec, status, T0.AddSeconds(1));

        progress.Due.ShouldBeEmpty();
        progress.NextAt.ShouldBe(T0.AddSeconds(10));
        progress.Status.Message.ShouldBe("measuring: errors 1/2, latency 1/2");
    }

    [Fact]
    public void Evaluate_OneMetricFails_TheRunFailsAtOnceNamingItAndItsValue()
    {
        var spec = Spec(Errors, Latency);
        var status = RunAnalysis.Record(Started(spec), Errors, At(Failed, 0, 20.5));

        var progress = RunAnalysis.Evaluate(spec, status, T0.AddSeconds(1));

        progress.IsDecided.ShouldBeTrue();
        progress.Status.Phase.ShouldBe(Failed);
        progress.Status.Message!.ShouldStartWith("metric errors failed: 1 of 1 measurements failed (failureLimit 0)");
        progress.Status.DecidedBy!.Metric.ShouldBe("errors");
        progress.Status.DecidedBy.Value!.GetValue<double>().ShouldBe(20.5);
        progress.Status.FinishedAt.ShouldBe(T0.AddSeconds(1));
        progress.Status.Metric("latency")!.Message!.ShouldStartWith("not measured further");
    }

    [Fact]
    public void Evaluate_EveryMetricPasses_Successful()
    {
        var spec = Spec(Errors);
        var status = RunAnalysis.Record(RunAnalysis.Record(Started(spec), Errors, At(Successful, 0)), Errors, At(Successful, 10));

        var progress = RunAnalysis.Evaluate(spec, status, T0.AddSeconds(11));

        progress.Status.Phase.ShouldBe(Successful);
        progress.Status.Message.ShouldBe("the metric passed");
    }

    [Fact]
    public void Evaluate_Inconclusive_PausesTheRunAsInconclusive()
    {
        var spec = Spec(Errors, Latency);
        var status = RunAnalysis.Record(Started(spec), Latency, At(Inconclusive, 0));

        RunAnalysis.Evaluate(spec, status, T0).Status.Phase.ShouldBe(Inconclusive);
    }

    [Fact]
    public void Evaluate_DryRunFails_TheRunStillSucceedsAndSaysSo()
    {
        var dry = Errors with { DryRun = true };
        var spec = Spec(dry, Latency);
        var status = Started(spec);
        status = RunAnalysis.Record(status, dry, At(Failed, 0));
        status = RunAnalysis.Record(status, Latency, At(Successful, 0));
        status = RunAnalysis.Record(status, Latency, At(Successful, 20));

        var progress = RunAnalysis.Evaluate(spec, status, T0.AddSeconds(21));

        progress.Status.Phase.ShouldBe(Successful);
        progress.Status.Metric("errors")!.Phase.ShouldBe(Failed);
        progress.Status.Message.ShouldBe("the metric passed; 1 dry-run (would have failed it: errors Failed)");
    }

    [Fact]
    public void Evaluate_Terminated_EndsSuccessfulWithWhatItMeasured()
    {
        var spec = Spec(Errors) with { Terminate = true };
        var status = RunAnalysis.Record(Started(spec), Errors, At(Successful, 0));

        var progress = RunAnalysis.Evaluate(spec, status, T0.AddSeconds(1));

        progress.Status.Phase.ShouldBe(Successful);
        progress.Status.Message.ShouldBe("terminated (spec.terminate) after 1 measurements, none failed");
    }

    [Fact]
    public void Evaluate_TerminatedAfterAFailure_StaysFailed()
    {
        var spec = Spec(Errors) with { Terminate = true };
        var status = RunAnalysis.Record(Started(spec), Errors, At(Failed, 0));

        RunAnalysis.Evaluate(spec, status, T0.AddSeconds(1)).Status.Phase.ShouldBe(Failed);
    }

    [Fact]
    public void Evaluate_DecidedRun_IsReturnedAsWritten()
    {
        var spec = Spec(Errors);
        var decided = Started(spec) with { Phase = Failed, Message = "written" };

        var progress = RunAnalysis.Evaluate(spec, decided, T0.AddHours(1));

        progress.Status.ShouldBeSameAs(decided);
        progress.Due.ShouldBeEmpty();
    }

    [Fact]
    public void Evaluate_JudgedMetrics_AreScored()
    {
        var judge = new MetricJudge();
        CanaryMetric Judged(string name) => Prometheus(name, "x{v=\"{{revision}}\"}") with { SuccessCondition = null, Judge = judge, Count = 1 };
        var metrics = new[] { Judged("a"), Judged("b"), Judged("c"), Judged("d") };
        var spec = Spec(metrics);
        var status = Started(spec);
        status = RunAnalysis.Record(status, metrics[0], At(Successful, 0));
        status = RunAnalysis.Record(status, metrics[1], At(Successful, 0));
        status = RunAnalysis.Record(status, metrics[2], At(Successful, 0));
        var undecided = RunAnalysis.Evaluate(spec, status, T0);
        status = RunAnalysis.Record(status, metrics[3], At(Failed, 0));

        var progress = RunAnalysis.Evaluate(spec, status, T0);

        undecided.Status.Phase.ShouldBe(Running);
        progress.Status.Phase.ShouldBe(Inconclusive);
        progress.Status.Score!.Value.ShouldBe(75);
        progress.Status.Message!.ShouldStartWith("judge score 75 (3 of 4 judged metrics passed; pass 95, marginal 75): marginal; metric d failed");
    }
}
