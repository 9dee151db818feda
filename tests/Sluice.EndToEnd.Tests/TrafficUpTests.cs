using System.Text.Json.Nodes;
using Sluice.ControlPlane;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Simulator.Traffic;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// <c>sluice up</c> as a user runs it: it prints where the data plane's metrics are and records them in endpoints.json;
/// clients of an annotated Service show up there with Istio's names, the revision a rollout brought up as
/// <c>destination_version</c>.
/// </summary>
public class TrafficUpTests
{
    [Fact]
    public async Task Up_SeedRolloutAndAnnotatedService_ServesIstioMetricsWithTheRevisionAsVersion()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-up-traffic-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Given sluice up
            var (plane, kubeconfig) = await SluiceProcess.UpAsync(dataDir, "--pod-ready-delay", "50ms..150ms");
            using var _ = plane;
            var printed = plane.Stderr.Split('\n').Single(l => l.StartsWith("metrics: ", StringComparison.Ordinal))["metrics: ".Length..].Split(' ')[0];
            var endpoints = EndpointsFile.Read(dataDir);
            endpoints["metrics"].ShouldBe(printed);
            endpoints["metrics"].ShouldStartWith("http://127.0.0.1:");
            var kubectl = new Kubectl(kubeconfig);

            // When the seed's v1 is rolled out, then a Service with 100 simulated requests a second is put in front of it
            await kubectl.RunAsync("apply", "-f", Path.Combine(RepoPaths.Root, "examples", "seed", "01-application-v1.yaml"), "-f", Path.Combine(RepoPaths.Root, "examples", "seed", "02-rollout-to-v1.yaml"));
            await Eventually.WaitUntilAsync(async () => (await kubectl.RunAsync("get", "approllout", "rolling-example", "-o", "jsonpath={.status.rollingState}")) == "rolloutSucceed",
                TimeSpan.FromSeconds(90), () => "the seed's rollout to v1 to succeed");
            var service = Path.Combine(dataDir, "service.yaml");
            await File.WriteAllTextAsync(service, """
                apiVersion: v1
                kind: Service
                metadata:
                  name: metrics-provider
                  annotations: {sim.sluice.dev/rps: "100"}
                spec:
                  selector: {app.oam.dev/component: metrics-provider}
                  ports: [{port: 80, targetPort: 8080}]
                """);
            await kubectl.RunAsync("apply", "-f", service);

            // Then /metrics has the requests, reported by the destination with the revision's name as their version
            using var http = new HttpClient();
            var metrics = "";
            await Eventually.WaitUntilAsync(async () =>
            {
                metrics = await http.GetStringAsync(endpoints["metrics"]);
                return metrics.Contains("destination_version=\"test-rolling-v1\"", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(30), () => $"requests to test-rolling-v1 in the metrics:\n{metrics}");
            metrics.ShouldContain("# TYPE istio_requests_total counter");
            metrics.ShouldContain("# TYPE istio_request_duration_milliseconds histogram");
            metrics.ShouldContain("istio_requests_total{reporter=\"destination\",source_workload=\"sim-client\",source_workload_namespace=\"default\",destination_service=\"metrics-provider.default.svc.cluster.local\",destination_service_name=\"metrics-provider\",destination_service_namespace=\"default\",destination_workload=\"metrics-provider\",destination_workload_namespace=\"default\",destination_version=\"test-rolling-v1\",request_protocol=\"http\",response_code=\"200\",response_flags=\"-\"}");

            // And /traffic counts them per revision, none failed
            var report = TrafficReport.FromJson(await http.GetStringAsync(endpoints["traffic"]));
            var population = report.Population("default", "metrics-provider")!;
            population.Revision("test-rolling-v1").Succeeded.ShouldBeGreaterThan(0);
            population.Counts.AllSucceeded.ShouldBeTrue(population.Counts.ToString());
            plane.Stop(TimeSpan.FromSeconds(20));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
