using System.Text.Json.Nodes;
using Sluice.Controllers.Traffic;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Tests.Traffic;

public sealed class VirtualServiceRouterTests(TrafficPlane plane) : IClassFixture<TrafficPlane>
{
    private const string Objects = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web]
          http:
          - name: admin
            match:
            - uri: {prefix: /admin}
            route:
            - destination: {host: admin}
          - name: primary
            match:
            - uri: {prefix: /}
            route:
            - destination:
                host: web.shop.svc.cluster.local
                port: {number: 80}
            retries: {attempts: 2}
        """;

    private static RolloutPlan Plan(params string[] routes) => new()
    {
        TrafficRouting = new TrafficRouting
        {
            Service = "web",
            Istio = new IstioRouting { VirtualServices = [new IstioVirtualService { Name = "web", Routes = routes }] },
        },
        RolloutBatches = [new RolloutBatch { Traffic = "10%" }, new RolloutBatch()],
    };

    [Fact]
    public async Task Apply_WeightMatchesAndMirror_WritesTheRoutesIstioRoutesBy()
    {
        var ns = await NamespaceAsync();
        var router = new VirtualServiceRouter(plane.Patcher);
        var matches = new TrafficMatch[]
        {
            new() { Headers = [new HeaderMatch { Name = "X-Beta", Prefix = "yes" }], QueryParams = [new QueryParamMatch { Name = "beta", Exact = "1" }] },
            new() { Cookie = new CookieMatch { Name = "beta", Value = "always" } },
        };

        await router.ApplyAsync(TrafficPlane.Target(ns, Plan("primary")), [new RouteTraffic(25, matches, 50)], CancellationToken.None);

        var http = (await plane.GetAsync(TrafficKinds.VirtualService, ns, "web"))["spec"]!["http"]!;
        JsonNode.DeepEquals(http, JsonNode.Parse("""
            [
              {"name":"admin","match":[{"uri":{"prefix":"/admin"}}],"route":[{"destination":{"host":"admin"}}]},
              {"name":"primary-sluice-canary",
               "match":[
                 {"uri":{"prefix":"/"},"headers":{"x-beta":{"prefix":"yes"}},"queryParams":{"beta":{"exact":"1"}}},
                 {"uri":{"prefix":"/"},"headers":{"cookie":{"regex":"^(.*;\\s*)?beta=always(;.*)?$"}}}],
               "route":[{"destination":{"host":"web-canary.shop.svc.cluster.local","port":{"number":80}}}],
               "retries":{"attempts":2}},
              {"name":"primary","match":[{"uri":{"prefix":"/"}}],
               "route":[{"destination":{"host":"web.shop.svc.cluster.local","port":{"number":80}},"weight":75},
                        {"destination":{"host":"web-canary.shop.svc.cluster.local","port":{"number":80}},"weight":25}],
               "retries":{"attempts":2},
               "mirror":{"host":"web-canary.shop.svc.cluster.local","port":{"number":80}},"mirrorPercentage":{"value":50}}
            ]
            """.Replace(".shop.", $".{ns}.", StringComparison.Ordinal))).ShouldBeTrue(http.ToJsonString());
    }

    [Fact]
    public async Task ObserveAndReset_AfterSteps_ReportThemThenPutTheSpecBackByteForByte()
    {
        var ns = await NamespaceAsync();
        var router = new VirtualServiceRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, Plan());
        var original = await plane.GetAsync(TrafficKinds.VirtualService, ns, "web");
        var beta = new TrafficMatch { Headers = [new HeaderMatch { Name = "x-beta", Exact = "1" }] };

        await router.ApplyAsync(target, [new RouteTraffic(10, [beta], 0)], CancellationToken.None);
        await router.ApplyAsync(target, [new RouteTraffic(60, [beta], 30)], CancellationToken.None);
        var observed = (await router.ObserveAsync(target, CancellationToken.None)).Routes.ShouldHaveSingleItem();
        await router.ApplyAsync(target, [new ResetTraffic()], CancellationToken.None);

        observed.Weight.ShouldBe(60);
        observed.Mirror.ShouldBe(30);
        observed.Matches.ShouldHaveSingleItem().Headers![0].Exact.ShouldBe("1");
        var restored = await plane.GetAsync(TrafficKinds.VirtualService, ns, "web");
        restored["spec"]!.ToJsonString().ShouldBe(original["spec"]!.ToJsonString());
        restored["metadata"]!.AsObject().ContainsKey("annotations").ShouldBeFalse();
    }

    [Fact]
    public async Task Verify_NamedRouteMissingOrNotToTheService_NamesTheField()
    {
        var ns = await NamespaceAsync();
        var router = new VirtualServiceRouter(plane.Patcher);

        var errors = await router.VerifyAsync(TrafficPlane.Target(ns, Plan("primary", "admin", "nope")), CancellationToken.None);

        errors.Select(e => e.Message).ShouldBe([
            "spec.rolloutPlan.trafficRouting.istio.virtualServices[0].routes[1]: Invalid value: \"admin\": the http route has no destination host naming Service \"web\"",
            "spec.rolloutPlan.trafficRouting.istio.virtualServices[0].routes[2]: Not found: http route \"nope\" in VirtualService \"web\"",
        ]);
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("web.shop", false)]
    [InlineData("web.shop.svc", true)]
    [InlineData("web.shop.svc.cluster.local", true)]
    [InlineData("web.other.svc.cluster.local", false)]
    [InlineData("webx", false)]
    [InlineData("web-canary", false)]
    public void IsServiceHost_FormsOfTheServicesName_InItsNamespaceOnly(string host, bool expected) =>
        VirtualServiceRoutes.IsServiceHost(host, "web", "shop").ShouldBe(expected);

    [Fact]
    public void Render_AmongWeightedDestinations_SplitsTheStableShareAndKeepsTheTotal()
    {
        var http = JsonNode.Parse("""[{"route":[{"destination":{"host":"web"},"weight":80},{"destination":{"host":"legacy"},"weight":20}]}]""")!.AsArray();

        var rendered = VirtualServiceRoutes.Render(http, new RouteTraffic(50, [], 0), [], "web", "web-canary", "shop");

        rendered[0]!["route"]!.ToJsonString().ShouldBe("""[{"destination":{"host":"web"},"weight":40},{"destination":{"host":"web-canary"},"weight":40},{"destination":{"host":"legacy"},"weight":20}]""");
        VirtualServiceRoutes.Read(rendered, "web", "web-canary", "shop").ShouldBe((50, 0));
    }

    private async Task<string> NamespaceAsync()
    {
        var ns = await plane.NamespaceAsync("vs");
        await plane.ApplyAsync(ns, Objects.Replace("web.shop.svc", $"web.{ns}.svc", StringComparison.Ordinal));
        return ns;
    }
}
