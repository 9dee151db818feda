using System.Text.Json.Nodes;
using Sluice.Manifests;
using Sluice.Simulator.Traffic;

namespace Sluice.Simulator.Tests.Traffic;

public sealed class RoutingTests
{
    private static readonly RequestClass Plain = new("plain", 10_000);

    private static readonly RequestClass Beta = new("header x-beta=1", 10_000)
    {
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Beta"] = "1" },
    };

    [Theory]
    [InlineData("/api/v1", "rule 1")]
    [InlineData("/api", "rule 1")]
    [InlineData("/apis", "rule 0")]
    [InlineData("/api/exact", "rule 2")]
    public void HttpRoute_Precedence_ExactThenLongestPrefix(string path, string rule)
    {
        var route = Route("""
            spec:
              rules:
              - matches: [{path: {type: PathPrefix, value: /}}]
                backendRefs: [{name: a}]
              - matches: [{path: {type: PathPrefix, value: /api}}]
                backendRefs: [{name: b}]
              - matches: [{path: {type: Exact, value: /api/exact}}]
                backendRefs: [{name: c}]
            """);

        HttpRouteRouting.Route(route, Plain, "", path).Point.ShouldBe(rule);
    }

    [Fact]
    public void HttpRoute_MoreHeaderMatches_WinsWhateverTheRuleOrder()
    {
        var route = Route("""
            spec:
              rules:
              - backendRefs: [{name: stable}]
              - matches: [{headers: [{name: x-beta, value: "1"}]}]
                backendRefs: [{name: canary}]
            """);

        HttpRouteRouting.Route(route, Beta, "", "/").Backends.ShouldHaveSingleItem().Service.Name.ShouldBe("canary");
        HttpRouteRouting.Route(route, Plain, "", "/").Backends.ShouldHaveSingleItem().Service.Name.ShouldBe("stable");
    }

    [Fact]
    public void HttpRoute_OtherHostOrAllWeightsZero_IsNotRouted()
    {
        var route = Route("""
            spec:
              hostnames: [shop.example.com]
              rules:
              - backendRefs: [{name: a, weight: 0}]
            """);

        HttpRouteRouting.Route(route, Plain, "other.example.com", "/").Outcome.ShouldBe(RouteOutcome.NoRoute);
        HttpRouteRouting.Route(route, Plain, "shop.example.com", "/").Outcome.ShouldBe(RouteOutcome.NoBackend);
    }

    [Theory]
    [InlineData("web", "ns", "web")]
    [InlineData("web.other", "ns", "web.other")]
    [InlineData("web.other.svc.cluster.local", "other", "web")]
    [InlineData("example.com", "ns", "example.com")]
    public void VirtualService_Hosts_NameServices(string host, string ns, string name) =>
        VirtualServiceRouting.Service(host, "ns").ShouldBe(new ServiceRef(ns, name));

    [Fact]
    public void VirtualService_NoRouteMatches_IsA404()
    {
        var vs = Route("""
            spec:
              http:
              - match: [{uri: {prefix: /api}}]
                route: [{destination: {host: web}}]
            """);

        VirtualServiceRouting.Route(vs, Plain, "web", "/").Outcome.ShouldBe(RouteOutcome.NoRoute);
        VirtualServiceRouting.Route(vs, Plain, "web", "/api/x").Backends.ShouldHaveSingleItem().Weight.ShouldBe(100);
    }

    [Theory]
    [InlineData("always", "web-canary")]
    [InlineData("never", "web")]
    public void Ingress_HeaderAlwaysOrNever_OverridesTheWeight(string value, string service)
    {
        var primary = Route("""
            metadata: {name: web, namespace: ns}
            spec:
              rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web}}}]}}]
            """);
        var canary = Route("""
            metadata:
              name: web-canary
              namespace: ns
              annotations:
                nginx.ingress.kubernetes.io/canary: "true"
                nginx.ingress.kubernetes.io/canary-by-header: x-beta
                nginx.ingress.kubernetes.io/canary-weight: "50"
            spec:
              rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-canary}}}]}}]
            """);
        var request = new RequestClass("h", 10_000) { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-beta"] = value } };

        IngressRouting.Route(primary, [canary], request, "", "/").Backends.ShouldHaveSingleItem().Service.Name.ShouldBe(service);
        IngressRouting.Route(primary, [canary], Plain, "", "/").Backends.Select(b => b.Weight).ShouldBe([50, 50]);
    }

    private static JsonObject Route(string yaml) => YamlJson.Parse(yaml)!.AsObject();
}
