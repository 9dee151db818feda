using System.Text.Json.Nodes;
using k8s;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Prometheus;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// `sluice up --prometheus on` as a process (its own Prometheus, found in endpoints.json) and `sluice controller`
/// SIGKILLed at random moments while AnalysisRuns measure: no measurement decision is lost or taken twice.
/// </summary>
public sealed class AnalysisCrashTests
{
    [Fact]
    public async Task Controller_SigkilledWhileMeasuring_EveryRunEndsAsItWouldHaveWithEachMeasurementOnce()
    {
        // Given sluice up with its Prometheus scraping an exporter dropped into its targets
        await PrometheusInstall.EnsureAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-analysis-crash-" + Guid.NewGuid().ToString("N"));
        var (plane, kubeconfig) = await SluiceProcess.UpAsync(dataDir, "--no-controllers", "--no-simulator", "--prometheus", "on", "--prometheus-scrape-interval", "1s");
        using var _ = plane;
        await using var exporter = new TestExporter(() => "# TYPE test_value gauge\ntest_value{revision=\"good\"} 99.5\ntest_value{revision=\"bad\"} 80\n");
        var prometheusUrl = EndpointsFile.Read(dataDir)["prometheus"];
        PrometheusServer.WriteTargets(Path.Combine(dataDir, "prometheus"), "test", [("test-metrics", exporter.Url)]);
        await Eventually.WaitUntil(() => exporter.Scrapes >= 2, TimeSpan.FromSeconds(60), "sluice up's Prometheus to scrape the exporter");
        var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        // When two runs measure while controllers are killed and replaced
        await CreateAsync(api, "good-0-1", "good", count: 6, failureLimit: 0);
        await CreateAsync(api, "bad-0-1", "bad", count: 20, failureLimit: 3);
        await using var chaos = new ControllerChaos(kubeconfig, seed: 1313, TimeSpan.FromSeconds(1), ["--prometheus-address", prometheusUrl]);
        chaos.Start();
        await Eventually.WaitUntilAsync(async () => (await StatusAsync(api, "good-0-1"))?.Metric("m")?.Count >= 4 || chaos.Kills >= 6, TimeSpan.FromSeconds(180), () => "measurements under chaos");
        await chaos.StopAsync();
        chaos.Failures.ShouldBeEmpty();
        var good = await TerminalAsync(api, "good-0-1");
        var bad = await TerminalAsync(api, "bad-0-1");

        // Then both end as they would have without a crash, each measurement taken once, an interval apart
        chaos.KillsWhileLeading.ShouldBeGreaterThanOrEqualTo(1, string.Join("\n", chaos.Log));
        good.Phase.ShouldBe(AnalysisPhase.Successful, good.Message);
        good.Metric("m")!.Measurements!.Count.ShouldBe(6);
        bad.Phase.ShouldBe(AnalysisPhase.Failed, bad.Message);
        bad.Metric("m")!.Measurements!.Count.ShouldBe(4);
        foreach (var measurements in new[] { good.Metric("m")!.Measurements!, bad.Metric("m")!.Measurements! })
        {
            measurements.ShouldAllBe(m => m.Phase != AnalysisPhase.Error);
            for (var i = 1; i < measurements.Count; i++)
            {
                measurements[i].StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(measurements[i - 1].FinishedAt!.Value + TimeSpan.FromSeconds(1));
            }
        }

        plane.Stop(TimeSpan.FromSeconds(20));
        EndpointsFile.Read(dataDir).ShouldNotContainKey("prometheus");
        Directory.Delete(dataDir, recursive: true);
    }

    private static Task CreateAsync(IKubeApi api, string name, string revision, int count, int failureLimit) =>
        api.CreateAsync(AnalysisKinds.AnalysisRun, "default", new JsonObject
        {
            ["apiVersion"] = "rollout.sluice.dev/v1alpha1",
            ["kind"] = "AnalysisRun",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["variables"] = new JsonObject { ["namespace"] = "default", ["targetRevision"] = revision },
                ["metrics"] = new JsonArray(new JsonObject
                {
                    ["name"] = "m",
                    ["interval"] = "1s",
                    ["count"] = count,
                    ["failureLimit"] = failureLimit,
                    ["provider"] = new JsonObject { ["prometheus"] = new JsonObject { ["query"] = "test_value{revision=\"{{targetRevision}}\"}" } },
                    ["successCondition"] = "result >= 99",
                }),
            },
        }, CancellationToken.None);

    private static async Task<AnalysisRunStatus?> StatusAsync(IKubeApi api, string name) =>
        await api.GetAsync(AnalysisKinds.AnalysisRun, "default", name, CancellationToken.None) is { } obj ? SluiceJson.Deserialize<AnalysisRun>(obj).Status : null;

    private static async Task<AnalysisRunStatus> TerminalAsync(IKubeApi api, string name)
    {
        AnalysisRunStatus? status = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            status = await StatusAsync(api, name);
            return status?.Phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;
        }, TimeSpan.FromSeconds(120), () => $"run {name} to end; its status: {(status is null ? "none" : SluiceJson.Serialize(status))}");
        return status!;
    }
}
