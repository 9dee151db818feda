using System.Text.Json.Nodes;
using Sluice.Cli.Tests.Support;
using Sluice.Controllers.Analysis;
using Sluice.Manifests;

namespace Sluice.Cli.Tests.Commands;

/// <summary><c>sluice get analysisruns</c> and <c>sluice describe analysisrun|rollout</c> against an in-process plane.</summary>
public sealed class AnalysisRunCommandTests(PlaneFixture plane) : IClassFixture<PlaneFixture>
{
    private const string Run = """
        apiVersion: rollout.sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata:
          name: NAME
          namespace: default
          labels:
            rollout.sluice.dev/rollout: ROLLOUT
            rollout.sluice.dev/batch: "0"
        spec:
          variables: {namespace: default, targetRevision: app-v2}
          metrics:
            - name: success-rate
              interval: 30s
              count: 3
              failureLimit: 1
              provider:
                prometheus:
                  query: sum(x{v="{{targetRevision}}"})
              successCondition: result >= 99
        """;

    private const string Status = """
        phase: Failed
        message: "metric success-rate failed: 2 of 2 measurements failed (failureLimit 1): 80: success condition `result >= 99` is false"
        summary: success-rate Failed 2/3
        startedAt: "2026-01-01T00:00:00Z"
        finishedAt: "2026-01-01T00:00:31Z"
        decidedBy: {metric: success-rate, phase: Failed, value: 80}
        metricResults:
          - name: success-rate
            phase: Failed
            count: 2
            successful: 0
            failed: 2
            inconclusive: 0
            error: 1
            consecutiveError: 0
            message: "2 of 2 measurements failed (failureLimit 1): 80: success condition `result >= 99` is false"
            measurements:
              - {phase: Error, startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:01Z", message: "POST http://p/api/v1/query: Connection refused"}
              - {phase: Failed, value: 85.5, startedAt: "2026-01-01T00:00:11Z", finishedAt: "2026-01-01T00:00:11Z", message: "85.5: success condition `result >= 99` is false"}
              - {phase: Failed, value: 80, startedAt: "2026-01-01T00:00:31Z", finishedAt: "2026-01-01T00:00:31Z", message: "80: success condition `result >= 99` is false"}
        """;

    private async Task<string> CreateAsync(string rollout)
    {
        var name = $"{rollout}-0-1";
        var created = await plane.Api.CreateAsync(AnalysisKinds.AnalysisRun, "default", (JsonObject)YamlJson.Parse(Run.Replace("NAME", name).Replace("ROLLOUT", rollout))!, CancellationToken.None);
        created["status"] = YamlJson.Parse(Status);
        await plane.Api.ReplaceStatusAsync(AnalysisKinds.AnalysisRun, "default", created, CancellationToken.None);
        return name;
    }

    [Fact]
    public async Task GetAnalysisRuns_ShowsPhaseMetricsAndAge_AndWideSaysWhy()
    {
        var name = await CreateAsync("get-" + Guid.NewGuid().ToString("N")[..6]);

        var (code, console) = await FakeConsole.RunAsync(["get", "analysisruns", name, "-o", "wide", "--kubeconfig", plane.Kubeconfig]);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var lines = console.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldMatch(@"^NAME\s+PHASE\s+METRICS\s+AGE\s+ROLLOUT\s+BATCH\s+WHY$");
        lines[1].ShouldMatch($@"^{name}\s+Failed\s+success-rate Failed 2/3\s+\S+\s+get-\w+\s+0\s+metric success-rate failed: 2 of 2");
    }

    [Fact]
    public async Task DescribeAnalysisRun_ShowsEveryMeasurement()
    {
        var name = await CreateAsync("describe-" + Guid.NewGuid().ToString("N")[..6]);

        var (code, console) = await FakeConsole.RunAsync(["describe", "analysisrun", name, "--kubeconfig", plane.Kubeconfig]);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var text = console.Stdout;
        text.ShouldContain("Phase:        Failed");
        text.ShouldContain("Decided by:   success-rate Failed, value 80");
        text.ShouldContain("Metric success-rate: Failed");
        text.ShouldContain("prometheus (the controller's): sum(x{v=\"{{targetRevision}}\"})");
        text.ShouldContain("success `result >= 99`; 3 every 30s; limits: failure 1, inconclusive 0, errors in a row 4");
        text.ShouldContain("2 measured: 0 successful, 2 failed, 0 inconclusive; 1 errors (0 in a row)");
        text.ShouldMatch(@"1\s+00:00:00\s+Error\s+-\s+POST http://p/api/v1/query: Connection refused");
        text.ShouldMatch(@"2\s+00:00:11\s+Failed\s+85\.5\s+85\.5: success condition");
        text.ShouldMatch(@"3\s+00:00:31\s+Failed\s+80\s+80: success condition");
    }

    [Fact]
    public async Task DescribeAnalysisRun_Missing_IsNotFound()
    {
        var (code, console) = await FakeConsole.RunAsync(["describe", "analysisrun", "nope", "--kubeconfig", plane.Kubeconfig]);

        code.ShouldBe(ExitCodes.NotFound);
        console.Stderr.ShouldContain("analysisrun/nope not found in namespace default");
    }

    [Fact]
    public async Task DescribeRollout_WithRuns_ListsThemAfterTheRollout()
    {
        var rollout = "roll-" + Guid.NewGuid().ToString("N")[..6];
        await plane.RolloutAsync(rollout, "sourceAppRevisionName: app-v1\ntargetAppRevisionName: app-v2\nrolloutPlan:\n  rolloutBatches:\n    - replicas: 1\n");
        var name = await CreateAsync(rollout);

        var (code, console) = await FakeConsole.RunAsync(["describe", "rollout", rollout, "--kubeconfig", plane.Kubeconfig]);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldContain("Analysis (sluice describe analysisrun NAME for every measurement):");
        console.Stdout.ShouldMatch($@"{name}\s+Failed\s+success-rate Failed 2/3");
    }
}
