using Sluice.Simulator.Traffic;

namespace Sluice.Simulator.Tests.Traffic;

public sealed class DataPlaneTests
{
    private const string Web = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            sim.sluice.dev/rps: "100"
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """;

    private const string PinnedServices = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            sim.sluice.dev/rps: "200"
            sim.sluice.dev/request-mix: "10% header x-beta=true, 5% cookie beta=always"
        spec:
          selector: {app: web, rollout.sluice.dev/template-hash: hash-v1}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web-canary}
        spec:
          selector: {app: web, rollout.sluice.dev/template-hash: hash-v2}
          ports: [{port: 80}]
        """;

    [Fact]
    public async Task Service_WithoutRoutes_SendsStraightToItsReadyPodsOnly()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(Web);
        cluster.Pod("web-a", "web", "v1");
        cluster.Pod("web-b", "web", "v1");
        cluster.Pod("web-unready", "web", "v1", ready: false);
        cluster.Pod("web-leaving", "web", "v1", deleting: true);
        cluster.Pod("other", "other", "v1");

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(10))).Population("default", "web")!;

        population.Entries.ShouldBe(["Service default/web"]);
        population.Counts.ShouldBe(new RequestCounts(1000, 1000, 0, 0, 0, 0, 0));
        population.Revision("v1").Sent.ShouldBe(1000);
        cluster.Metrics().ShouldContain("destination_workload=\"web-a\"");
        cluster.Metrics().ShouldNotContain("web-unready");
        cluster.Metrics().ShouldNotContain("web-leaving");
    }

    [Fact]
    public async Task Service_WithNoReadyEndpoint_Answers503FailedByTheRollout()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(Web);
        cluster.Pod("web-a", "web", "v1", ready: false);

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(2))).Population("default", "web")!;

        population.Counts.ShouldBe(new RequestCounts(200, 0, 0, 200, 0, 0, 0));
        cluster.Metrics().ShouldContain("istio_requests_total{reporter=\"source\",source_workload=\"sim-client\",source_workload_namespace=\"default\",destination_service=\"web.default.svc.cluster.local\",destination_service_name=\"web\",destination_service_namespace=\"default\",destination_workload=\"unknown\",destination_workload_namespace=\"unknown\",destination_version=\"unknown\",request_protocol=\"http\",response_code=\"503\",response_flags=\"UH\"} 200");
    }

    [Fact]
    public async Task HttpRoute_WeightsAndMatches_ReachExactlyWhomTheyShould()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(PinnedServices);
        cluster.Apply("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: public}
            spec:
              gatewayClassName: any
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: public}]
              rules:
              - matches:
                - headers: [{name: x-beta, value: "true"}]
                - headers: [{type: RegularExpression, name: Cookie, value: '^(.*;\s*)?beta=always(;.*)?$'}]
                backendRefs: [{name: web-canary, port: 80}]
              - backendRefs: [{name: web, port: 80, weight: 90}, {name: web-canary, port: 80, weight: 10}]
            """);
        cluster.Pod("v1-a", "web", "v1");
        cluster.Pod("v1-b", "web", "v1");
        cluster.Pod("v2-a", "web", "v2");

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(10))).Population("default", "web")!;

        population.Entries.ShouldBe(["HTTPRoute default/web"]);
        population.Counts.Sent.ShouldBe(2000);
        population.Counts.Succeeded.ShouldBe(2000);
        population.Class("header x-beta=true")!.Revisions.ShouldHaveSingleItem().Revision.ShouldBe("v2");
        population.Class("cookie beta=always")!.Revisions.ShouldHaveSingleItem().Revision.ShouldBe("v2");
        var plain = population.Class("plain")!;
        plain.Counts.Sent.ShouldBe(1700);
        plain.Revisions.Single(r => r.Revision == "v2").Counts.Sent.ShouldBe(170);
        var weighted = population.Segments.Single(s => s.Class == "plain");
        weighted.Backends.ShouldBe(new Dictionary<string, double> { ["web"] = 90, ["web-canary"] = 10 });
        weighted.ShareOf("v2").ShouldBe(10);
    }

    [Fact]
    public async Task HttpRoute_MirrorFilter_CopiesTheShareAndClientsNeverSeeTheCopiesFail()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(PinnedServices.Replace("10% header x-beta=true, 5% cookie beta=always", "", StringComparison.Ordinal));
        cluster.Apply("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: public}
            spec:
              gatewayClassName: any
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: public}]
              rules:
              - backendRefs: [{name: web, port: 80}]
                filters:
                - type: RequestMirror
                  requestMirror: {backendRef: {name: web-canary, port: 80}, percent: 20}
            """);
        cluster.Pod("v1-a", "web", "v1");
        cluster.Pod("v2-a", "web", "v2", fault: "error-rate=100%");

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(5))).Population("default", "web")!;

        population.Counts.ShouldBe(new RequestCounts(1000, 1000, 0, 0, 0, 200, 200));
        population.Revision("v2").ShouldBe(new RequestCounts(0, 0, 0, 0, 0, 200, 200));
        population.Segments.ShouldHaveSingleItem().MirrorShareOf("v2").ShouldBe(20);
    }

    [Fact]
    public async Task VirtualService_FirstMatchingRouteAndWeights_RouteAsIstioDoes()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(PinnedServices);
        cluster.Apply("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web]
              http:
              - match:
                - headers: {cookie: {regex: '^(.*;\s*)?beta=always(;.*)?$'}}
                route: [{destination: {host: web-canary}}]
              - route:
                - {destination: {host: web.default.svc.cluster.local}, weight: 75}
                - {destination: {host: web-canary.default.svc.cluster.local}, weight: 25}
            """);
        cluster.Pod("v1-a", "web", "v1");
        cluster.Pod("v2-a", "web", "v2");

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(10))).Population("default", "web")!;

        population.Entries.ShouldBe(["VirtualService default/web"]);
        population.Class("cookie beta=always")!.Revisions.ShouldHaveSingleItem().Revision.ShouldBe("v2");
        population.Class("header x-beta=true")!.Revisions.Single(r => r.Revision == "v2").Counts.Sent.ShouldBe(50);
        population.Class("plain")!.Revisions.Single(r => r.Revision == "v2").Counts.Sent.ShouldBe(425);
        population.Counts.AllSucceeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Ingress_WithCanaryIngress_FollowsNginxPrecedence()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(PinnedServices.Replace("10% header x-beta=true, 5% cookie beta=always", "10% header x-beta=never, 10% header x-canary=yes, 5% cookie beta=always", StringComparison.Ordinal));
        cluster.Apply("""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              rules:
              - host: shop.example.com
                http:
                  paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web-canary
              annotations:
                nginx.ingress.kubernetes.io/canary: "true"
                nginx.ingress.kubernetes.io/canary-weight: "40"
                nginx.ingress.kubernetes.io/canary-by-header: x-beta
                nginx.ingress.kubernetes.io/canary-by-cookie: beta
            spec:
              rules:
              - host: shop.example.com
                http:
                  paths: [{path: /, pathType: Prefix, backend: {service: {name: web-canary, port: {number: 80}}}}]
            """);
        cluster.Pod("v1-a", "web", "v1");
        cluster.Pod("v2-a", "web", "v2");

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(10))).Population("default", "web")!;

        population.Entries.ShouldBe(["Ingress default/web"]);
        population.Class("header x-beta=never")!.Revisions.ShouldHaveSingleItem().Revision.ShouldBe("v1");
        population.Class("cookie beta=always")!.Revisions.ShouldHaveSingleItem().Revision.ShouldBe("v2");
        population.Class("header x-canary=yes")!.Revisions.Single(r => r.Revision == "v2").Counts.Sent.ShouldBe(80);
        population.Class("plain")!.Revisions.Single(r => r.Revision == "v2").Counts.Sent.ShouldBe(600);
    }

    [Fact]
    public async Task Pods_ErrorRateAndLatency_AnswerAsTheirFaultSays()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(Web);
        cluster.Pod("web-a", "web", "test-rolling-v2", fault: "error-rate=20%, latency=300ms");

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(10))).Population("default", "web")!;
        var metrics = cluster.Metrics();

        population.Counts.ShouldBe(new RequestCounts(1000, 800, 200, 0, 0, 0, 0));
        metrics.ShouldContain("destination_version=\"test-rolling-v2\",request_protocol=\"http\",response_code=\"500\",response_flags=\"-\"} 200");
        metrics.ShouldContain("istio_request_duration_milliseconds_bucket{reporter=\"destination\",source_workload=\"sim-client\",source_workload_namespace=\"default\",destination_service=\"web.default.svc.cluster.local\",destination_service_name=\"web\",destination_service_namespace=\"default\",destination_workload=\"web-a\",destination_workload_namespace=\"default\",destination_version=\"test-rolling-v2\",request_protocol=\"http\",response_code=\"200\",response_flags=\"-\",le=\"100\"} 0");
        metrics.ShouldContain("response_code=\"200\",response_flags=\"-\",le=\"500\"} 800");
    }

    [Fact]
    public async Task Metrics_SameSeed_AreTheSameEveryRun()
    {
        async Task<string> Run()
        {
            await using var cluster = await DataPlaneCluster.StartAsync(seed: 7);
            cluster.Apply(Web);
            cluster.Pod("web-a", "web", "v1", fault: "latency=40ms");
            await cluster.RunAsync(TimeSpan.FromSeconds(3));
            return cluster.Metrics();
        }

        (await Run()).ShouldBe(await Run());
    }

    [Fact]
    public async Task Route_ChangedMidway_StartsANewSegmentWithTheNewVersions()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(PinnedServices.Replace("10% header x-beta=true, 5% cookie beta=always", "", StringComparison.Ordinal));
        cluster.Apply("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web]
              http:
              - route:
                - {destination: {host: web}, weight: 100}
                - {destination: {host: web-canary}, weight: 0}
            """);
        cluster.Pod("v1-a", "web", "v1");
        cluster.Pod("v2-a", "web", "v2");
        await cluster.RunAsync(TimeSpan.FromSeconds(5));

        cluster.Change("VirtualService", "web", vs =>
        {
            vs["spec"]!["http"]![0]!["route"]![0]!["weight"] = 50;
            vs["spec"]!["http"]![0]!["route"]![1]!["weight"] = 50;
        });
        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(5))).Population("default", "web")!;

        population.Segments.Count.ShouldBe(2);
        population.Segments.Select(s => s.ShareOf("v2")).ShouldBe([0, 50]);
        population.Segments.Select(s => s.Backends["web-canary"]).ShouldBe([0, 50]);
        population.Segments[0].Versions["VirtualService default/web"].ShouldBeLessThan(population.Segments[1].Versions["VirtualService default/web"]);
        population.Segments[0].Counts.Sent.ShouldBe(1000);
    }

    [Fact]
    public async Task Report_AsJson_RoundTrips()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(Web);
        cluster.Pod("web-a", "web", "v1");
        var report = await cluster.RunAsync(TimeSpan.FromSeconds(1));

        var back = TrafficReport.FromJson(report.ToJson());

        back.ToJson().ShouldBe(report.ToJson());
        back.Population("default", "web")!.Counts.ShouldBe(report.Population("default", "web")!.Counts);
    }

    [Fact]
    public async Task Annotations_Malformed_AreReportedAndSendNothing()
    {
        await using var cluster = await DataPlaneCluster.StartAsync();
        cluster.Apply(Web.Replace("\"100\"", "\"lots\"", StringComparison.Ordinal));

        var population = (await cluster.RunAsync(TimeSpan.FromSeconds(1))).Population("default", "web")!;

        population.Problem.ShouldBe("sim.sluice.dev/rps: \"lots\" is not a number of requests per second from 0 to 1000000");
        population.Counts.Sent.ShouldBe(0);
    }
}
