using System.Text.Json.Nodes;
using Sluice.ControlPlane.Prometheus;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Simulator.Traffic;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// A canary judged by numbers: the simulated clients' requests become Istio metrics, a real Prometheus scrapes them, the
/// ready-made <c>request-success-rate</c> template measures the target revision in each batch's AnalysisRun, and the
/// engine goes on or rolls back on what it decides.
/// </summary>
public class AnalysisRolloutTests
{
    private const string Population = "default/web";

    private static string App(string image, string? fault = null) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
          annotations:
            app.oam.dev/rolling-components: web
            app.oam.dev/rollout-template: "true"
        spec:
          components:
            - name: web
              type: clonesetservice
              properties:
                image: {image}
                port: 8080
                replicas: 5
                updateStrategyType: InPlaceIfPossible
        {(fault is null ? "" : $"        annotations:\n          sim.sluice.dev/fault: {fault}\n")}
        """;

    private const string Routing = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            sim.sluice.dev/rps: "1000"
        spec:
          selector:
            app.oam.dev/component: web
          ports:
            - name: http
              port: 80
              targetPort: 8080
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web}
        spec:
          hosts: [web]
          http: [{name: primary, route: [{destination: {host: web}}]}]
        """;

    private const string Canary = """
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: shop-web
        spec:
          sourceAppRevisionName: shop-v1
          targetAppRevisionName: shop-v2
          componentList: [web]
          rolloutPlan:
            trafficRouting:
              service: web
              istio: {virtualServices: [{name: web}]}
            rolloutBatches:
              - replicas: 1
                traffic: 20%
                canaryMetric:
                  - name: success-rate
                    templateRef: {name: request-success-rate}
                    interval: 5s
                    initialDelay: 3s
                    count: 3
                    failureLimit: 0
                    consecutiveErrorLimit: 5
              - replicas: 4
        """;

    /// <summary>v1 up behind its Service and VirtualService, clients sending, Prometheus scraping the data plane every second.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(TrafficCluster traffic, TrafficEndpoint metrics, PrometheusServer prometheus)
        {
            Traffic = traffic;
            Metrics = metrics;
            Prometheus = prometheus;
        }

        public TrafficCluster Traffic { get; }

        public TrafficEndpoint Metrics { get; }

        public PrometheusServer Prometheus { get; }

        public TestCluster Cluster => Traffic.Cluster;

        public static async Task<Setup> StartAsync(string? v2Fault)
        {
            var traffic = await TrafficCluster.StartAsync(controllers: false);
            var metrics = await TrafficEndpoint.StartAsync(traffic.Traffic);
            var binary = await PrometheusInstall.EnsureAsync();
            var directory = Path.Combine(traffic.Cluster.DataDir, "prometheus");
            PrometheusServer.WriteTargets(directory, "sim", [("sim-metrics", metrics.MetricsUrl)]);
            var prometheus = await PrometheusServer.StartAsync(new PrometheusOptions { Directory = directory, Binary = binary, ScrapeInterval = TimeSpan.FromSeconds(1) }, CancellationToken.None);
            traffic.Cluster.StartControllers(prometheus: prometheus.Url);
            var setup = new Setup(traffic, metrics, prometheus);
            var cluster = traffic.Cluster;
            await cluster.ApplyYamlAsync(App("stefanprodan/podinfo:5.0.2") + "---\n" + """
                apiVersion: core.oam.dev/v1beta1
                kind: AppRollout
                metadata: {name: shop-web}
                spec:
                  targetAppRevisionName: shop-v1
                  componentList: [web]
                  rolloutPlan: {rolloutBatches: [{replicas: 100%}]}
                """);
            await cluster.WaitForStateAsync("rolloutSucceed", "shop-web", timeout: TimeSpan.FromSeconds(90));
            await cluster.ApplyYamlAsync(Routing);
            await cluster.ApplyYamlAsync(App("stefanprodan/podinfo:6.0.0", v2Fault));
            await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, what: () => "revision shop-v2");
            await traffic.SendAsync(Population, 500);
            return setup;
        }

        /// <summary>The run of the first batch (named after the rollout, the batch and the attempt the status records).</summary>
        public async Task<JsonObject> RunAsync() =>
            (await Cluster.GetAsync(AnalysisKinds.AnalysisRun, $"shop-web-0-{(await Cluster.RolloutAsync("shop-web"))["status"]!["attempt"]!.GetValue<int>()}"))
            ?? throw new InvalidOperationException($"the AnalysisRun shop-web-0-1 was never created; the rollout: {(await Cluster.RolloutAsync("shop-web")).ToJsonString()}");

        public async ValueTask DisposeAsync()
        {
            await Prometheus.DisposeAsync();
            await Metrics.DisposeAsync();
            await Traffic.DisposeAsync();
        }
    }

    [Fact]
    public async Task HealthyCanary_PassesItsAnalysisAndSucceeds()
    {
        await using var setup = await Setup.StartAsync(v2Fault: null);

        await setup.Cluster.ApplyYamlAsync(Canary);

        await setup.Cluster.WaitForStateAsync("rolloutSucceed", "shop-web", target: "shop-v2", timeout: TimeSpan.FromSeconds(120));
        var run = await setup.RunAsync();
        run["status"]!["phase"]!.GetValue<string>().ShouldBe("Successful");
        var measurements = run["status"]!["metricResults"]![0]!["measurements"]!.AsArray();
        // three measurements decided it; a provider error before Prometheus had samples (NaN) is retried, never a failure
        measurements.Count(m => m!["phase"]!.GetValue<string>() == "Successful").ShouldBe(3, measurements.ToJsonString());
        measurements.ShouldAllBe(m => m!["phase"]!.GetValue<string>() == "Successful" || m["phase"]!.GetValue<string>() == "Error");
        TrafficInvariants.NoRequestFailedByTheRollout(setup.Traffic.Report(), Population);
    }

    [Fact]
    public async Task CanaryAnswering20PercentErrors_FailsItsFirstBatchAndTrafficGoesBackBeforeThePods()
    {
        await using var setup = await Setup.StartAsync(v2Fault: "error-rate=20%");
        var cluster = setup.Cluster;
        await using var virtualServices = cluster.Record("networking.istio.io", "virtualservices");
        await using var cloneSets = cluster.Record("apps.kruise.io", "clonesets");

        await cluster.ApplyYamlAsync(Canary);

        // Then the first batch fails on its analysis, within failureLimit + 1 measurements, and the rollout rolls back
        var failed = await cluster.WaitForStateAsync("rolloutFailed", "shop-web", target: "shop-v2", timeout: TimeSpan.FromSeconds(120));
        var condition = (failed["status"]!["conditions"] as JsonArray)!.First(c => c!["type"]!.GetValue<string>() == "RolloutFailed")!;
        condition["reason"]!.GetValue<string>().ShouldBe("AnalysisFailed");
        condition["message"]!.GetValue<string>().ShouldContain("success-rate");
        var run = await setup.RunAsync();
        run["status"]!["phase"]!.GetValue<string>().ShouldBe("Failed");
        var measured = run["status"]!["metricResults"]![0]!["measurements"]!.AsArray();
        measured.Count(m => m!["phase"]!.GetValue<string>() != "Error").ShouldBeLessThanOrEqualTo(1, measured.ToJsonString());
        (await cluster.RolloutAsync("shop-web"))["status"]!["currentBatch"]!.GetValue<int>().ShouldBe(0);

        // And the route sent nothing to v2 any more before the CloneSet's template went back to v1
        var weights = virtualServices.States.Where(s => s.Objects.ContainsKey("web")).Select(s => (s.Version, Weight: Weight(s.Objects["web"]))).ToList();
        var back = weights.SkipWhile(w => w.Weight == 0).SkipWhile(w => w.Weight > 0).First().Version;
        var reverted = cloneSets.States.First(s => s.Version > back - 1 && s.Objects.TryGetValue("web", out var cs)
            && cs["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>() == "shop-v1").Version;
        back.ShouldBeLessThan(reverted);

        // And no request failed because of the rollout itself (the 20% errors are the pods' own answers)
        await setup.Traffic.SendAsync(Population, 300);
        TrafficInvariants.NoRequestFailedByTheRollout(setup.Traffic.Report(), Population, podFaults: true);
    }

    private static int Weight(JsonObject virtualService) =>
        (virtualService["spec"]?["http"] as JsonArray ?? []).SelectMany(r => r?["route"] as JsonArray ?? [])
            .Where(d => d?["destination"]?["host"]?.GetValue<string>() == "web-canary").Select(d => d?["weight"]?.GetValue<int>() ?? 0).DefaultIfEmpty(0).Max();
}
