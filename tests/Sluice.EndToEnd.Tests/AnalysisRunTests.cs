using System.Text.Json.Nodes;
using Sluice.ControlPlane.Prometheus;
using Sluice.Controllers.Analysis;
using Sluice.Core.Api;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>AnalysisRuns measured against a real Prometheus: pass, fail, inconclusive, dry-run, bad input, kubectl.</summary>
public sealed class AnalysisRunTests : AnalysisTestBase
{
    [Fact]
    public async Task HealthySeries_Passes()
    {
        // Given a target revision answering 99.5% of requests well
        Set("healthy-v2", 99.5);
        await ScrapedAsync("healthy-v2");

        // When a run checks it three times
        await CreateRunAsync("healthy-0-1", Metric("success-rate", count: 3), target: "healthy-v2");

        // Then it passes, with three successful measurements of the value Prometheus holds
        var status = await TerminalAsync("healthy-0-1");
        status.Phase.ShouldBe(AnalysisPhase.Successful, status.Message);
        var measurements = status.Metric("success-rate")!.Measurements!;
        measurements.Count.ShouldBe(3);
        measurements.ShouldAllBe(m => m.Phase == AnalysisPhase.Successful && m.Value!.GetValue<double>() == 99.5);
    }

    [Fact]
    public async Task BadSeries_FailsWithinFailureLimitPlusOneMeasurements()
    {
        Set("bad-v2", 80);
        await ScrapedAsync("bad-v2");

        await CreateRunAsync("bad-0-1", Metric("success-rate", count: 10, failureLimit: 1), target: "bad-v2");

        var status = await TerminalAsync("bad-0-1");
        status.Phase.ShouldBe(AnalysisPhase.Failed);
        status.Metric("success-rate")!.Measurements!.Count.ShouldBe(2);
        status.Message.ShouldBe("metric success-rate failed: 2 of 2 measurements failed (failureLimit 1): 80: success condition `result >= 99` is false");
        status.DecidedBy!.Value!.GetValue<double>().ShouldBe(80);
    }

    [Fact]
    public async Task NeitherConditionTrue_IsInconclusive()
    {
        Set("grey-v2", 95);
        await ScrapedAsync("grey-v2");
        var metric = Metric("success-rate", count: 3);
        const string target = "grey-v2";
        metric["failureCondition"] = "result < 90";

        await CreateRunAsync("grey-0-1", metric, target);

        var status = await TerminalAsync("grey-0-1");
        status.Phase.ShouldBe(AnalysisPhase.Inconclusive);
        status.Message!.ShouldContain("95: neither `result >= 99` nor `result < 90` is true");
    }

    [Fact]
    public async Task DryRun_RecordsFailuresAndNeverFails()
    {
        Set("dry-v2", 50);
        await ScrapedAsync("dry-v2");
        var metric = Metric("success-rate", count: 2);
        const string target = "dry-v2";
        metric["dryRun"] = true;

        await CreateRunAsync("dry-0-1", metric, target);

        var status = await TerminalAsync("dry-0-1");
        status.Phase.ShouldBe(AnalysisPhase.Successful);
        status.Metric("success-rate")!.Phase.ShouldBe(AnalysisPhase.Failed);
        status.Metric("success-rate")!.Failed.ShouldBe(1);
        status.Message.ShouldBe("no metric decides this run; 1 dry-run (would have failed it: success-rate Failed)");
    }

    [Theory]
    [InlineData("provider", """{"datadog":{"query":"q"}}""", "spec.metrics[0].provider: Unsupported value: \"datadog\": supported values: \"prometheus\", \"web\"")]
    [InlineData("provider", """{"prometheus":{}}""", "spec.metrics[0].provider.prometheus.query: Required value")]
    [InlineData("provider", """{"web":{"jsonPath":"$.x"}}""", "spec.metrics[0].provider.web.url: Required value")]
    [InlineData("successCondition", "\"result >== 99\"", "spec.metrics[0].successCondition: Invalid value: \"result >== 99\": metric \"success-rate\": syntax error")]
    [InlineData("failureLimit", "-1", "spec.metrics[0].failureLimit: Invalid value: -1: must not be negative")]
    [InlineData("metricsRange", """{"min":5,"max":1}""", "spec.metrics[0].metricsRange: Invalid value: min 5 is above max 1")]
    public async Task BadInput_EndsInErrorNamingTheFieldWithoutMeasuring(string field, string json, string expected)
    {
        var metric = Metric("success-rate", count: 1);
        const string target = "never-v2";
        metric[field] = JsonNode.Parse(json);
        if (field == "metricsRange")
        {
            metric.Remove("successCondition");
        }

        var name = $"bad-input-{Guid.NewGuid():N}"[..20];
        await CreateRunAsync(name, metric, target);

        var status = await TerminalAsync(name);
        status.Phase.ShouldBe(AnalysisPhase.Error);
        status.Message!.ShouldContain(expected);
        status.MetricResults.ShouldBeNull();
    }

    [Fact]
    public async Task BadInput_TemplateRefToAMissingTemplate_IsRejectedNamingTheField_AndTheBuiltInsAreThere()
    {
        var plan = new RolloutPlan
        {
            CanaryMetric = [new CanaryMetric { Name = "success", TemplateRef = new MetricTemplateReference { Kind = "MetricTemplate", Name = "request-success-rate" } }],
            RolloutBatches = [new RolloutBatch { CanaryMetric = [new CanaryMetric { Name = "gone", TemplateRef = new MetricTemplateReference { Kind = "MetricTemplate", Name = "no-such-template" } }] }],
        };

        var (templates, errors) = await new MetricTemplateResolver(Cluster.Api, CelConditions.Shared).VerifyPlanAsync(plan, "default", CancellationToken.None);

        errors.Select(e => e.Message).ShouldBe(["spec.rolloutPlan.rolloutBatches[0].canaryMetric[0].templateRef: Not found: MetricTemplate \"no-such-template\" in namespace default or vela-system"]);
        templates.Keys.ShouldBe(["vela-system/request-success-rate"]);
    }

    [Fact]
    public async Task KubectlGetAnalysisRuns_ShowsPhaseMetricsAgeAndWhy()
    {
        Set("kubectl-v2", 80);
        await ScrapedAsync("kubectl-v2");
        await CreateRunAsync("kubectl-0-1", Metric("success-rate", count: 1), target: "kubectl-v2");
        await TerminalAsync("kubectl-0-1");

        var table = await Cluster.Kubectl.RunAsync("get", "analysisruns", "kubectl-0-1", "-o", "wide");

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("NAME");
        lines[0].ShouldContain("PHASE");
        lines[0].ShouldContain("METRICS");
        lines[0].ShouldContain("AGE");
        lines[0].ShouldContain("WHY");
        lines[1].ShouldContain("Failed");
        lines[1].ShouldContain("success-rate Failed 1/1");
        lines[1].ShouldContain("metric success-rate failed");
    }
}
