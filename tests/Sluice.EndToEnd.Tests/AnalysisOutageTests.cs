using System.Text.Json.Nodes;
using Sluice.ControlPlane.Prometheus;
using Sluice.Controllers.Analysis;
using Sluice.Core.Api;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>AnalysisRuns through failures: Prometheus stopping mid-run, the controller restarted mid-run.</summary>
public sealed class AnalysisOutageTests : AnalysisTestBase
{
    [Fact]
    public async Task PrometheusStoppedMidRun_ErrorsThenFailedAfterConsecutiveErrorLimit()
    {
        // Given a run measuring through a Prometheus of its own
        await using var doomed = await PrometheusInstall.StartAsync(Path.Combine(Cluster.DataDir, "prometheus-doomed"), Exporter);
        Set("outage-v2", 99.5);
        await Eventually.WaitUntilAsync(async () => await QueryAsync(doomed.Url, "outage-v2") is not null, Patience, () => "the doomed Prometheus to scrape outage-v2");
        var metric = Metric("success-rate", count: 20);
        const string target = "outage-v2";
        metric["provider"]!["prometheus"]!["address"] = doomed.Url.ToString();
        await CreateRunAsync("outage-0-1", metric, target);
        await Eventually.WaitUntilAsync(async () => (await StatusAsync("outage-0-1"))?.Metric("success-rate")?.Successful >= 1, Patience, () => "a first successful measurement");

        // When Prometheus stops
        await doomed.DisposeAsync();

        // Then the measurements are errors, retried, and the metric fails once they exceed consecutiveErrorLimit (2)
        var status = await TerminalAsync("outage-0-1");
        status.Phase.ShouldBe(AnalysisPhase.Failed);
        var result = status.Metric("success-rate")!;
        result.Failed.ShouldBe(0);
        result.Measurements!.TakeLast(3).ShouldAllBe(m => m.Phase == AnalysisPhase.Error);
        result.ConsecutiveError.ShouldBe(3);
        status.Message!.ShouldStartWith("metric success-rate failed: 3 errors in a row (consecutiveErrorLimit 2): POST " + new Uri(doomed.Url, "api/v1/query"));
    }

    [Fact]
    public async Task ControllerRestartedMidRun_ContinuesFromStatusWithoutRepeatingAMeasurement()
    {
        Set("restart-v2", 99.5);
        await ScrapedAsync("restart-v2");
        await CreateRunAsync("restart-0-1", Metric("success-rate", count: 5), target: "restart-v2");
        await Eventually.WaitUntilAsync(async () => (await StatusAsync("restart-0-1"))?.Metric("success-rate")?.Count >= 2, Patience, () => "two measurements");

        // The controller stops mid-run and a new one (nothing in memory) takes over
        await StopControllersAsync();
        var before = (await StatusAsync("restart-0-1"))!.Metric("success-rate")!.Measurements!.Count;
        StartControllers(Prometheus.Url);

        var status = await TerminalAsync("restart-0-1");
        status.Phase.ShouldBe(AnalysisPhase.Successful);
        var measurements = status.Metric("success-rate")!.Measurements!;
        before.ShouldBeLessThan(5);
        measurements.Count.ShouldBe(5);
        for (var i = 1; i < measurements.Count; i++)
        {
            // each measurement was taken once, an interval after the one before it finished
            measurements[i].StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(measurements[i - 1].FinishedAt!.Value + TimeSpan.FromSeconds(2));
        }
    }
}
