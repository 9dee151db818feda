using System.Net;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Schema;

/// <summary>
/// The traffic kinds a user applies to a cluster (Gateway API, Istio's VirtualService, Ingress) are served by the
/// embedded plane, and the AppRollout's traffic fields are in its schema: kubectl applies the same manifests, and a
/// typo is refused naming the field.
/// </summary>
public sealed class BundledCrdTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private const string Manifests = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: sim
        spec:
          controllerName: example.com/gateway-controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: public
        spec:
          gatewayClassName: sim
          listeners:
          - name: http
            protocol: HTTP
            port: 80
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
        spec:
          parentRefs:
          - name: public
          hostnames: ["web.example.com"]
          rules:
          - backendRefs:
            - name: web
              port: 80
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: ["web"]
          http:
          - name: primary
            match:
            - uri:
                prefix: /
              headers:
                x-team:
                  exact: a
            route:
            - destination:
                host: web
                port:
                  number: 80
              weight: 100
            retries:
              attempts: 3
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
          ingressClassName: nginx
          rules:
          - host: web.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: web
                    port:
                      number: 80
        """;

    [Fact]
    public async Task Apply_GatewayHttpRouteVirtualServiceAndIngress_AreCreatedWithTheUpstreamDefaults()
    {
        var ns = plane.Fresh("traffic-kinds");

        var applied = await plane.Kubectl.RunAsync(TimeSpan.FromSeconds(60), Manifests, "apply", "-n", ns, "-f", "-");

        applied.ExitCode.ShouldBe(0, applied.Output);
        applied.Stdout.ShouldContain("httproute.gateway.networking.k8s.io/web created");
        applied.Stdout.ShouldContain("virtualservice.networking.istio.io/web created");
        applied.Stdout.ShouldContain("ingress.networking.k8s.io/web created");
        var route = plane.Plane.Store.Get(new GroupResource("gateway.networking.k8s.io", "httproutes"), ns, "web");
        JsonNode.DeepEquals(route["spec"]!["rules"], JsonNode.Parse("""
            [{"matches":[{"path":{"type":"PathPrefix","value":"/"}}],"backendRefs":[{"group":"","kind":"Service","name":"web","port":80,"weight":1}]}]
            """)).ShouldBeTrue(route["spec"]!.ToJsonString());
        route["spec"]!["parentRefs"]![0]!["kind"]!.GetValue<string>().ShouldBe("Gateway");
        var vs = plane.Plane.Store.Get(new GroupResource("networking.istio.io", "virtualservices"), ns, "web");
        vs["spec"]!["http"]![0]!["retries"]!["attempts"]!.GetValue<int>().ShouldBe(3);
        var listed = await plane.Kubectl.RunAsync("get", "gateway,httproute,vs,ing", "-n", ns, "-o", "name");
        listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4, listed.Output);
    }

    public static TheoryData<string, string> Typos() => new()
    {
        {
            """{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"typo"},"spec":{"rules":[{"backendRef":[{"name":"web"}]}]}}""",
            "unknown field \\\"spec.rules[0].backendRef\\\""
        },
        {
            """{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"typo"},"spec":{"http":[{"route":[{"destination":{"host":"web"},"wieght":10}]}]}}""",
            "unknown field \\\"spec.http[0].route[0].wieght\\\""
        },
        {
            """{"apiVersion":"core.oam.dev/v1beta1","kind":"AppRollout","metadata":{"name":"typo"},"spec":{"targetAppRevisionName":"a-v2","rolloutPlan":{"trafficRouting":{"service":"web","canarySevice":"web-next"},"rolloutBatches":[{}]}}}""",
            "unknown field \\\"spec.rolloutPlan.trafficRouting.canarySevice\\\""
        },
        {
            """{"apiVersion":"core.oam.dev/v1beta1","kind":"AppRollout","metadata":{"name":"typo"},"spec":{"targetAppRevisionName":"a-v2","rolloutPlan":{"rolloutBatches":[{"traffic":"10%","mirorr":"5%"}]}}}""",
            "unknown field \\\"spec.rolloutPlan.rolloutBatches[0].mirorr\\\""
        },
    };

    [Theory]
    [MemberData(nameof(Typos))]
    public async Task Create_Typo_IsRefusedStrictlyNamingTheField(string json, string message)
    {
        using var http = plane.Http();
        var ns = plane.Fresh("typo");
        var obj = JsonNode.Parse(json)!.AsObject();
        var (group, version) = obj["apiVersion"]!.GetValue<string>().Split('/') is var parts ? (parts[0], parts[1]) : default;
        var plural = obj["kind"]!.GetValue<string>().ToLowerInvariant() + "s";

        var response = await http.PostAsync($"/apis/{group}/{version}/namespaces/{ns}/{plural}?fieldValidation=Strict",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain(message);
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        {
            """{"rolloutBatches":[{"traffic":"150%"}]}""",
            "spec.rolloutPlan.rolloutBatches[0].traffic: Invalid value: \\\"150%\\\": spec.rolloutPlan.rolloutBatches[0].traffic in body should match '^(100|[1-9]?[0-9])%$'"
        },
        {
            """{"rolloutBatches":[{"pause":{"duration":"5 minutes"}}]}""",
            "spec.rolloutPlan.rolloutBatches[0].pause.duration: Invalid value: \\\"5 minutes\\\""
        },
        {
            """{"blueGreen":{"previewService":"web-preview"},"rolloutBatches":[{}]}""",
            "spec.rolloutPlan.blueGreen.activeService: Required value"
        },
        {
            """{"trafficRouting":{"service":"web","nginx":{}},"rolloutBatches":[{}]}""",
            "spec.rolloutPlan.trafficRouting.nginx.ingress: Required value"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Create_InvalidTrafficField_Gets422NamingIt(string plan, string message)
    {
        using var http = plane.Http();
        var ns = plane.Fresh("traffic-invalid");
        var rollout = """{"apiVersion":"core.oam.dev/v1beta1","kind":"AppRollout","metadata":{"name":"bad"},"spec":{"targetAppRevisionName":"a-v2","rolloutPlan":PLAN}}"""
            .Replace("PLAN", plan, StringComparison.Ordinal);

        var response = await http.PostAsync($"/apis/core.oam.dev/v1beta1/namespaces/{ns}/approllouts",
            new StringContent(rollout, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe((HttpStatusCode)422);
        (await response.Content.ReadAsStringAsync()).ShouldContain(message);
    }

    [Fact]
    public async Task Restart_BundledCrdTheUserReplaced_KeepsTheUsers()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sluice-bundled-" + Guid.NewGuid().ToString("N"));
        var crds = new GroupResource("apiextensions.k8s.io", "customresourcedefinitions");
        try
        {
            await using (var first = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dir, Port = 0 }, TimeProvider.System))
            {
                first.Store.Mutate(crds, null, "gatewayclasses.gateway.networking.k8s.io", crd =>
                {
                    crd["metadata"]!["annotations"] = new JsonObject { ["installed-by"] = "upstream" };
                    crd["spec"]!["names"]!["shortNames"] = new JsonArray("upstream-gc");
                    return crd;
                });
                first.Store.Mutate(crds, null, "gateways.gateway.networking.k8s.io", crd =>
                {
                    crd["spec"]!["names"]!["shortNames"] = new JsonArray("stale");
                    return crd;
                });
            }

            await using var second = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dir, Port = 0 }, TimeProvider.System);

            second.Store.Get(crds, null, "gatewayclasses.gateway.networking.k8s.io")["spec"]!["names"]!["shortNames"]![0]!.GetValue<string>().ShouldBe("upstream-gc");
            second.Store.Get(crds, null, "gateways.gateway.networking.k8s.io")["spec"]!["names"]!["shortNames"]![0]!.GetValue<string>().ShouldBe("gtw");
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
