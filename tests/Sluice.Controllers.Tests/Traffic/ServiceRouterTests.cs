using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Tests.Traffic;

public sealed class ServiceRouterTests(TrafficPlane plane) : IClassFixture<TrafficPlane>
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels: {app: web}
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80, targetPort: 8080, protocol: TCP}
        """;

    private static RolloutPlan Canary() => new()
    {
        TrafficRouting = new TrafficRouting { Service = "web", GatewayApi = new GatewayApiRouting { HttpRoutes = ["web"] } },
        RolloutBatches = [new RolloutBatch()],
    };

    private static RolloutPlan BlueGreen() => new()
    {
        BlueGreen = new BlueGreen { ActiveService = "web" },
        RolloutBatches = [new RolloutBatch()],
    };

    [Fact]
    public async Task Pin_StableAndCanary_PinsTheStableAndCreatesTheCanaryFromItsPorts()
    {
        var ns = await NamespaceAsync();
        var router = new ServiceRouter(plane.Patcher);

        await router.ApplyAsync(TrafficPlane.Target(ns, Canary()), [new PinServices("hash-v1", "hash-v2")], CancellationToken.None);

        var stable = await plane.GetAsync(ResourceKind.Service, ns, "web");
        var canary = await plane.GetAsync(ResourceKind.Service, ns, "web-canary");
        stable["spec"]!["selector"]!.ToJsonString().ShouldBe("""{"app":"web","rollout.sluice.dev/template-hash":"hash-v1"}""");
        canary["spec"]!["selector"]!.ToJsonString().ShouldBe("""{"app":"web","rollout.sluice.dev/template-hash":"hash-v2"}""");
        canary["spec"]!["ports"]!.ToJsonString().ShouldBe("""[{"name":"http","protocol":"TCP","port":80,"targetPort":8080}]""");
        canary["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>().ShouldBe("web-rollout");
        var snapshot = await router.ObserveAsync(TrafficPlane.Target(ns, Canary()), CancellationToken.None);
        snapshot.Service(ServiceRole.Stable)!.ShouldBe(snapshot.Service(ServiceRole.Stable)! with { SelectedHash = "hash-v1", OriginalRecorded = true, CreatedByRollout = false, ReadyPods = 2 });
        snapshot.Service(ServiceRole.Canary)!.ShouldBe(snapshot.Service(ServiceRole.Canary)! with { SelectedHash = "hash-v2", OriginalRecorded = false, CreatedByRollout = true, ReadyPods = 1 });
    }

    [Fact]
    public async Task PromoteThenReset_EndsWithTheSelectorAsFoundAndNoCanary()
    {
        var ns = await NamespaceAsync();
        var router = new ServiceRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, Canary());
        var original = await plane.GetAsync(ResourceKind.Service, ns, "web");

        await router.ApplyAsync(target, [new PinServices("hash-v1", "hash-v2")], CancellationToken.None);
        await router.ApplyAsync(target, [new PromoteStable("hash-v2")], CancellationToken.None);
        var promoted = await plane.GetAsync(ResourceKind.Service, ns, "web");
        await router.ApplyAsync(target, [new ResetTraffic()], CancellationToken.None);

        JsonPath.Get(promoted, "spec.selector")!.ToJsonString().ShouldContain("hash-v2");
        var restored = await plane.GetAsync(ResourceKind.Service, ns, "web");
        restored["spec"]!.ToJsonString().ShouldBe(original["spec"]!.ToJsonString());
        restored["metadata"]!.AsObject().ContainsKey("annotations").ShouldBeFalse();
        (await plane.Api.GetAsync(ResourceKind.Service, ns, "web-canary", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task BlueGreen_PreviewThenSwitch_ActiveSelectsTheSourceUntilTheSwitchInOneWrite()
    {
        var ns = await NamespaceAsync();
        var router = new ServiceRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, BlueGreen());

        await router.ApplyAsync(target, [new PreviewTarget("hash-v1", "hash-v2")], CancellationToken.None);
        var previewing = await router.ObserveAsync(target, CancellationToken.None);
        var before = plane.Writes("services");
        await router.ApplyAsync(target, [new SwitchActive("hash-v2")], CancellationToken.None);
        var switched = await router.ObserveAsync(target, CancellationToken.None);

        previewing.Service(ServiceRole.Active)!.SelectedHash.ShouldBe("hash-v1");
        previewing.Service(ServiceRole.Preview)!.SelectedHash.ShouldBe("hash-v2");
        previewing.Service(ServiceRole.Preview)!.CreatedByRollout.ShouldBeTrue();
        (plane.Writes("services") - before).ShouldBe(1);
        switched.Service(ServiceRole.Active)!.SelectedHash.ShouldBe("hash-v2");
        switched.Service(ServiceRole.Active)!.ReadyPods.ShouldBe(1);
    }

    [Fact]
    public async Task BlueGreen_ResetAndTakenOverAgainInOneDecision_ActiveKeepsItsPinWithoutAWrite()
    {
        // Given a blue/green previewing v2 beside v1 (the active Service pinned to v1)
        var ns = await NamespaceAsync();
        var routers = new TrafficRouters(plane.Patcher);
        var target = TrafficPlane.Target(ns, BlueGreen());
        await routers.ApplyAsync(target, [new PreviewTarget("hash-v1", "hash-v2")], CancellationToken.None);
        var pinned = await plane.GetAsync(ResourceKind.Service, ns, "web");

        // When a changed target puts everything back and the new take-over previews v3 beside v1, in one decision
        await routers.ApplyAsync(target with { TargetHash = "hash-v3" }, [new ResetTraffic(), new PreviewTarget("hash-v1", "hash-v3")], CancellationToken.None);

        // Then the active Service was never let go of (unpinned, it would send clients to v2 for a moment)
        var active = await plane.GetAsync(ResourceKind.Service, ns, "web");
        JsonPath.String(active, "metadata.resourceVersion").ShouldBe(JsonPath.String(pinned, "metadata.resourceVersion"));
        var preview = await plane.GetAsync(ResourceKind.Service, ns, "web-preview");
        JsonPath.Get(preview, "spec.selector")!.ToJsonString().ShouldContain("hash-v3");
    }

    [Fact]
    public async Task Canary_ResetAndPinnedAgainToARevisionWithNoReadyPod_IsLetGoOfFirst()
    {
        // Given a stable Service pinned to a revision with no ready pod
        var ns = await NamespaceAsync();
        var routers = new TrafficRouters(plane.Patcher);
        var target = TrafficPlane.Target(ns, new RolloutPlan { TrafficRouting = new TrafficRouting { Service = "web" }, RolloutBatches = [new RolloutBatch()] });
        await routers.ApplyAsync(target, [new PinServices("hash-v9", "hash-v2")], CancellationToken.None);
        var pinned = await plane.GetAsync(ResourceKind.Service, ns, "web");

        // When a reset and a take-over pinning it there again come in one decision
        await routers.ApplyAsync(target, [new ResetTraffic(), new PinServices("hash-v9", "hash-v2")], CancellationToken.None);

        // Then it was unpinned on the way (selecting every ready pod while the routes went back to it) and pinned again
        var stable = await plane.GetAsync(ResourceKind.Service, ns, "web");
        JsonPath.Get(stable, "spec.selector")!.ToJsonString().ShouldContain("hash-v9");
        long.Parse(JsonPath.String(stable, "metadata.resourceVersion")!).ShouldBeGreaterThan(long.Parse(JsonPath.String(pinned, "metadata.resourceVersion")!));
    }

    [Fact]
    public async Task Verify_MissingServiceOrPodsWithoutTheSourceHash_NamesTheFieldAndWhy()
    {
        var ns = await NamespaceAsync();
        await plane.ApplyAsync(ns, Pod("legacy", null));
        var router = new ServiceRouter(plane.Patcher);

        var unmarked = await router.VerifyAsync(TrafficPlane.Target(ns, Canary()), CancellationToken.None);
        var missing = await router.VerifyAsync(TrafficPlane.Target(ns, BlueGreen() with { BlueGreen = new BlueGreen { ActiveService = "shop" } }), CancellationToken.None);

        unmarked.ShouldHaveSingleItem().Message.ShouldStartWith("spec.rolloutPlan.trafficRouting.service: Invalid value: \"web\": 1 of the 4 ready pods it selects (e.g. legacy) do not carry rollout.sluice.dev/template-hash=hash-v1");
        missing.ShouldHaveSingleItem().Message.ShouldBe($"spec.rolloutPlan.blueGreen.activeService: Not found: Service \"shop\" in namespace \"{ns}\"");
    }

    /// <summary>A Service web over two source pods, one target pod and one unready target pod.</summary>
    private async Task<string> NamespaceAsync()
    {
        var ns = await plane.NamespaceAsync("svc");
        await plane.ApplyAsync(ns, Service);
        await plane.ApplyAsync(ns, Pod("v1-a", "hash-v1"));
        await plane.ApplyAsync(ns, Pod("v1-b", "hash-v1"));
        await plane.ApplyAsync(ns, Pod("v2-a", "hash-v2"));
        await plane.ApplyAsync(ns, Pod("v2-b", "hash-v2", ready: false));
        return ns;
    }

    private string Pod(string name, string? hash, bool ready = true)
    {
        var labels = hash is null ? "{app: web}" : $"{{app: web, rollout.sluice.dev/template-hash: {hash}}}";
        return $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}, labels: {{labels}}}
            spec: {containers: [{name: app, image: app}]}
            status:
              conditions: [{type: Ready, status: "{{(ready ? "True" : "False")}}"}]
            """;
    }
}
