using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Bad traffic plans (issue 12's list) applied to a running controller: each is refused naming the field (by the CRD's schema
/// on apply, or in <c>verifyingSpec</c>), and nothing is touched: the CloneSet, the Service and every route keep their
/// resourceVersion, and no canary Service or Ingress appears. The unit tests (TrafficPlanValidatorTests,
/// TrafficCapabilityCheckTests, the routers' Verify tests) check each message; this checks that the controller stops there.
/// </summary>
public class TrafficBadInputTests(TrafficBadInputTests.Fixture given) : IClassFixture<TrafficBadInputTests.Fixture>
{
    private const string Service = "      service: bad\n";

    /// <summary>A row: the plan's extra lines (trafficRouting / blueGreen), its batches, and the field the refusal must name.</summary>
    public static TheoryData<string, string, string, string> Plans() => new()
    {
        {
            "VirtualService that does not exist",
            "    trafficRouting:\n" + Service + "      istio: {virtualServices: [{name: nope}]}\n",
            "      - {replicas: 1, traffic: 10%}\n      - {replicas: 4}",
            "spec.rolloutPlan.trafficRouting.istio.virtualServices[0].name"
        },
        {
            "HTTPRoute that does not send to the service",
            "    trafficRouting:\n" + Service + "      gatewayAPI: {httpRoutes: [elsewhere]}\n",
            "      - {replicas: 1, traffic: 10%}\n      - {replicas: 4}",
            "spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[0]"
        },
        {
            "Ingress that does not exist",
            "    trafficRouting:\n" + Service + "      nginx: {ingress: nope}\n",
            "      - {replicas: 1, traffic: 10%}\n      - {replicas: 4}",
            "spec.rolloutPlan.trafficRouting.nginx.ingress"
        },
        {
            "weights going down",
            "    trafficRouting:\n" + Service + "      gatewayAPI: {httpRoutes: [bad]}\n",
            "      - {replicas: 1, traffic: 40%}\n      - {replicas: 1, traffic: 20%}\n      - {replicas: 3}",
            "spec.rolloutPlan.rolloutBatches[1].traffic"
        },
        {
            "a weight over 100%",
            "    trafficRouting:\n" + Service + "      gatewayAPI: {httpRoutes: [bad]}\n",
            "      - {replicas: 1, traffic: 110%}\n      - {replicas: 4}",
            "spec.rolloutPlan.rolloutBatches[0].traffic"
        },
        {
            "matches with no router that can express them (Services alone)",
            "    trafficRouting:\n" + Service,
            "      - replicas: 1\n        matches: [{headers: [{name: x-beta, exact: \"true\"}]}]\n      - {replicas: 4}",
            "spec.rolloutPlan.rolloutBatches[0].matches"
        },
        {
            "a query-parameter match through NGINX",
            "    trafficRouting:\n" + Service + "      nginx: {ingress: bad}\n",
            "      - replicas: 1\n        matches: [{queryParams: [{name: beta, exact: \"1\"}]}]\n      - {replicas: 4}",
            "spec.rolloutPlan.rolloutBatches[0].matches[0].queryParams"
        },
        {
            "a mirror percentage through NGINX",
            "    trafficRouting:\n" + Service + "      nginx: {ingress: bad}\n",
            "      - {replicas: 1, traffic: 10%, mirror: 20%}\n      - {replicas: 4}",
            "spec.rolloutPlan.rolloutBatches[0].mirror"
        },
        {
            "blue/green together with weights",
            "    trafficRouting:\n" + Service + "      gatewayAPI: {httpRoutes: [bad]}\n    blueGreen: {activeService: bad}\n",
            "      - {replicas: 1, traffic: 10%}\n      - {replicas: 4}",
            "spec.rolloutPlan.trafficRouting"
        },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task BadTrafficPlan_IsRefusedNamingTheField_NothingTouched(string what, string plan, string batches, string field)
    {
        var cluster = given.Traffic.Cluster;
        var app = given.App;
        var before = await VersionsAsync(cluster, app);

        // When a rollout to v2 with the bad plan is applied
        string refusal;
        try
        {
            await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, batches, plan: plan, routed: false));
            var failed = await cluster.WaitForStateAsync("rolloutFailed", app.Name, target: app.Revision(2), timeout: TimeSpan.FromSeconds(60));
            refusal = (failed["status"]!["conditions"] as JsonArray)!.First(c => c!["type"]!.GetValue<string>() == "RolloutFailed")!["message"]!.GetValue<string>();
        }
        catch (InvalidOperationException e) when (e.Message.Contains(field, StringComparison.Ordinal))
        {
            // the CRD's schema refused it on apply, naming the field
            refusal = e.Message;
        }

        try
        {
            // Then the refusal names the field, and nothing was touched
            refusal.ShouldContain(field, customMessage: what);
            (await VersionsAsync(cluster, app)).ShouldBe(before, what);
            (await cluster.GetAsync(ResourceKind.Service, app.Canary)).ShouldBeNull(what);
            (await cluster.GetAsync(TrafficKinds.Ingress, app.Canary)).ShouldBeNull(what);
            (await cluster.GetAsync(ResourceKind.Service, app.Name + "-preview")).ShouldBeNull(what);
        }
        finally
        {
            await cluster.Kubectl.RunAsync("delete", "approllout", app.Name, "--ignore-not-found", "--timeout=60s");
        }
    }

    /// <summary>The resourceVersions of what a rollout of <paramref name="app"/> could touch.</summary>
    private static async Task<string> VersionsAsync(TestCluster cluster, RoutedApp app)
    {
        var kinds = new[] { ResourceKind.CloneSet, ResourceKind.Service, TrafficKinds.HttpRoute, TrafficKinds.VirtualService, TrafficKinds.Ingress };
        var versions = new List<string>();
        foreach (var kind in kinds)
        {
            foreach (var name in new[] { app.Name, "elsewhere" })
            {
                versions.Add($"{kind.Kind}/{name}@{(await cluster.GetAsync(kind, name))?["metadata"]?["resourceVersion"]}");
            }
        }

        return string.Join(", ", versions);
    }

    /// <summary>One app behind every router (plus an HTTPRoute "elsewhere" that sends to another Service), v1 up, v2 made.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public RoutedApp App { get; } = new("bad", Routers.All, Rps: 500);

        public TrafficCluster Traffic { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Traffic = await TrafficCluster.StartAsync(controllers: true);
            await App.GivenV1Async(Traffic);
            await Traffic.Cluster.ApplyYamlAsync("""
                apiVersion: v1
                kind: Service
                metadata: {name: elsewhere}
                spec:
                  selector: {app: elsewhere}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: elsewhere}
                spec:
                  parentRefs: [{name: bad}]
                  rules: [{backendRefs: [{name: elsewhere, port: 80}]}]
                """);
            (await Traffic.Cluster.GetAsync(ResourceKind.AppRollout, App.Name)).ShouldNotBeNull("the rollout that brought v1 up");
            await Traffic.Cluster.Kubectl.RunAsync("delete", "approllout", App.Name, "--timeout=60s");
        }

        public async Task DisposeAsync() => await Traffic.DisposeAsync();
    }
}
