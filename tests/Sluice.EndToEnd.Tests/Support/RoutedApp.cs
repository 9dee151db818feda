using System.Globalization;
using System.Text;
using Sluice.Controllers.Kube;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>The routers a <see cref="RoutedApp"/>'s clients come in through (any combination: several at once must work).</summary>
[Flags]
public enum Routers
{
    None = 0,
    HttpRoute = 1,
    VirtualService = 2,
    Nginx = 4,
    All = HttpRoute | VirtualService | Nginx,
}

/// <summary>
/// One application for the traffic scenarios: a 5-pod CloneSet component, its Service (with simulated clients), and the
/// routes of <see cref="Routers"/> to it, all named <see cref="Name"/> (so several live side by side in one cluster), and
/// the AppRollout of it, also named <see cref="Name"/>. Revisions are <c>NAME-vN</c>; each version runs its own image.
/// </summary>
public sealed record RoutedApp(string Name, Routers Routers, int Rps = 2000, string? Mix = null)
{
    public const int Replicas = 5;

    public string Population => $"default/{Name}";

    public string Canary => Name + "-canary";

    public string Revision(int version) => $"{Name}-v{version.ToString(CultureInfo.InvariantCulture)}";

    public static string Image(int version) => $"stefanprodan/podinfo:{(4 + version).ToString(CultureInfo.InvariantCulture)}.0.0";

    /// <summary>The Application at <paramref name="version"/>, its pods answering by <paramref name="fault"/> (sim.sluice.dev/fault).</summary>
    public string AppYaml(int version, string? fault = null) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {Name}
          annotations:
            app.oam.dev/rolling-components: {Name}
            app.oam.dev/rollout-template: "true"
        spec:
          components:
            - name: {Name}
              type: clonesetservice
              properties:
                image: {Image(version)}
                port: 8080
                replicas: {Replicas}
                updateStrategyType: InPlaceIfPossible
        {(fault is null ? "" : $"        annotations:\n          sim.sluice.dev/fault: \"{fault}\"\n")}---

        """;

    /// <summary>The Service (selecting the component's pods, with its clients) and every route of <see cref="Routers"/> to it.</summary>
    public string RoutingYaml()
    {
        var yaml = new StringBuilder($"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {Name}
              annotations:
                sim.sluice.dev/rps: "{Rps.ToString(CultureInfo.InvariantCulture)}"
            {(Mix is null ? "" : $"    sim.sluice.dev/request-mix: \"{Mix}\"\n")}spec:
              selector:
                app.oam.dev/component: {Name}
              ports:
                - name: http
                  port: 80
                  targetPort: 8080
            ---

            """);
        if (Routers.HasFlag(Routers.HttpRoute))
        {
            yaml.Append($$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata:
                  name: {{Name}}
                spec:
                  gatewayClassName: any
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: {{Name}}
                spec:
                  parentRefs:
                    - name: {{Name}}
                  hostnames: [{{Name}}.example.com]
                  rules:
                    - backendRefs:
                        - name: {{Name}}
                          port: 80
                ---

                """);
        }

        if (Routers.HasFlag(Routers.VirtualService))
        {
            yaml.Append($$"""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: {{Name}}
                spec:
                  hosts: [{{Name}}]
                  http:
                    - name: primary
                      route:
                        - destination:
                            host: {{Name}}
                ---

                """);
        }

        if (Routers.HasFlag(Routers.Nginx))
        {
            yaml.Append($$"""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: {{Name}}
                spec:
                  ingressClassName: nginx
                  rules:
                    - host: {{Name}}.example.com
                      http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend:
                              service:
                                name: {{Name}}
                                port: {number: 80}
                ---

                """);
        }

        return yaml.ToString();
    }

    /// <summary>The plan's <c>trafficRouting</c> naming every router of <see cref="Routers"/> (indented for <see cref="RolloutYaml"/>).</summary>
    public string TrafficRouting()
    {
        var yaml = new StringBuilder($"    trafficRouting:\n      service: {Name}\n");
        if (Routers.HasFlag(Routers.HttpRoute))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      gatewayAPI: {{httpRoutes: [{Name}]}}\n");
        }

        if (Routers.HasFlag(Routers.VirtualService))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      istio: {{virtualServices: [{{name: {Name}, routes: [primary]}}]}}\n");
        }

        if (Routers.HasFlag(Routers.Nginx))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      nginx: {{ingress: {Name}}}\n");
        }

        return yaml.ToString();
    }

    /// <summary>
    /// The AppRollout from <paramref name="source"/> to <paramref name="target"/> (versions), routed through every router
    /// (unless <paramref name="plan"/> says otherwise), with <paramref name="batches"/> (YAML list items indented 6) and
    /// extra <paramref name="plan"/> and <paramref name="spec"/> lines.
    /// </summary>
    public string RolloutYaml(int? source, int target, string batches, string plan = "", string spec = "", bool routed = true) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: {Name}
        spec:
        {(source is { } s ? $"  sourceAppRevisionName: {Revision(s)}\n" : "")}  targetAppRevisionName: {Revision(target)}
          componentList: [{Name}]
        {spec}  rolloutPlan:
            progressDeadlineSeconds: 60
        {(routed && Routers != Routers.None ? TrafficRouting() : "")}{plan}    rolloutBatches:
        {batches}
        ---

        """;

    /// <summary>
    /// Given v1 up (5 pods, rolled out once by a plain AppRollout so its pods carry the template hash), its Service and routes
    /// applied with clients sending, and v2's revision made (its pods faulted by <paramref name="v2Fault"/>).
    /// </summary>
    public async Task GivenV1Async(TrafficCluster traffic, string? v2Fault = null)
    {
        var cluster = traffic.Cluster;
        await cluster.ApplyYamlAsync(AppYaml(1) + RolloutYaml(null, 1, "      - replicas: 100%", routed: false));
        await cluster.WaitForStateAsync("rolloutSucceed", Name, target: Revision(1), timeout: TimeSpan.FromSeconds(90));
        await cluster.ApplyYamlAsync(RoutingYaml());
        await cluster.ApplyYamlAsync(AppYaml(2, v2Fault));
        await RevisionAsync(cluster, 2);
        await traffic.SendAsync(Population, 300);
    }

    /// <summary>Waits until the ApplicationRevision of <paramref name="version"/> exists.</summary>
    public async Task RevisionAsync(TestCluster cluster, int version) =>
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, Revision(version)) is not null,
            TimeSpan.FromSeconds(60), () => $"revision {Revision(version)}");
}
