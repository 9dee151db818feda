using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Operations;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The end-to-end scenarios that together reach every kind of call the controllers make, each in a namespace of its
/// own and all at once: the seed's walkthrough (CloneSet, in place), a Deployment upgrade with a signed webhook and a
/// notification, a StatefulSet upgrade, a DaemonSet upgrade, a DaemonSet that fails from nothing and is rolled back,
/// a canary behind an Istio VirtualService whose first batch is measured by an AnalysisRun from a MetricTemplate (web
/// provider), a blue/green switch of CloneSets, an Application whose traits output an Ingress and an autoscaler, and
/// every traffic router through a canary's intents, a kind declared by a WorkloadKind (examples/custom-kind, with the
/// rule it grants the controller), and a rollout following an Application whose pods read a ConfigMap and a Secret
/// through a change of the ConfigMap and a bad image.
/// </summary>
public static class ControllerScenarios
{
    public const string NotificationsNamespace = "sluice-system";

    public static async Task RunAsync(TestCluster cluster, WebhookReceiver receiver, IKubeApi routersApi)
    {
        await cluster.ApplyYamlAsync(NotificationsNamespace, $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sluice-notifications
            data:
              service.webhook.audit: |
                url: {{receiver.Url}}notify
                headers:
                  Authorization: $audit-token
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: sluice-notifications-secret
            data:
              audit-token: {{Convert.ToBase64String("Bearer t0ken"u8)}}
            """);
        await Task.WhenAll(
            SeedAsync(cluster),
            DeploymentAsync(cluster, receiver),
            UpgradeAsync(cluster, "sts", "statefulservice", "1,2"),
            UpgradeAsync(cluster, "ds", "daemon", "1,2"),
            FailedFromNothingAsync(cluster),
            CanaryWithAnalysisAsync(cluster, receiver),
            AbortedDuringAnalysisAsync(cluster, receiver),
            BlueGreenAsync(cluster),
            TraitsAsync(cluster),
            TrafficAsync(cluster, routersApi),
            DeclaredKindAsync(cluster),
            FollowedConfigAsync(cluster));
    }

    /// <summary>Waits until the rollout to <paramref name="target"/> has ended, and fails at once when it ended otherwise.</summary>
    public static async Task EndedAsync(TestCluster cluster, string ns, string target, string expected, string rollout = Walkthrough.Rollout)
    {
        JsonObject? last = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            last = await cluster.GetAsync(ResourceKind.AppRollout, rollout, ns);
            return last?["status"]?["lastTargetAppRevision"]?.GetValue<string>() == target
                && last["status"]?["rollingState"]?.GetValue<string>() is "rolloutSucceed" or "rolloutFailed";
        }, TimeSpan.FromSeconds(90), () => $"the rollout in {ns} to {target} to end; it is {last?["status"]?.ToJsonString()}");
        last!["status"]!["rollingState"]!.GetValue<string>().ShouldBe(expected, $"the rollout in {ns} to {target}: {last["status"]!.ToJsonString()}");
    }

    /// <summary>The seed's manifests, unchanged: v1 scaled up in batches, then moved to v2 in place.</summary>
    private static async Task SeedAsync(TestCluster cluster)
    {
        var seed = Path.Combine(RepoPaths.Root, "examples", "seed");
        await cluster.ApplyYamlAsync("seed", await File.ReadAllTextAsync(Path.Combine(seed, "01-application-v1.yaml")) + "\n---\n" + await File.ReadAllTextAsync(Path.Combine(seed, "02-rollout-to-v1.yaml")));
        await EndedAsync(cluster, "seed", "test-rolling-v1", "rolloutSucceed");
        await cluster.ApplyYamlAsync("seed", await File.ReadAllTextAsync(Path.Combine(seed, "03-application-v2.yaml")) + "\n---\n" + await File.ReadAllTextAsync(Path.Combine(seed, "04-rollout-v1-to-v2.yaml")));
        await EndedAsync(cluster, "seed", "test-rolling-v2", "rolloutSucceed");
    }

    /// <summary>A webservice (Deployment and Service) moved to v2 behind a webhook signed with a Secret's key, notifying on success.</summary>
    private static async Task DeploymentAsync(TestCluster cluster, WebhookReceiver receiver)
    {
        const string ns = "web";
        await cluster.ApplyYamlAsync(ns, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: hook-key\ndata:\n  key: " + Convert.ToBase64String("s3cret"u8) + "\n");
        await UpgradeAsync(cluster, ns, "webservice", "1,2", $"""
                rolloutWebhooks:
                  - type: initialize-rollout
                    name: init
                    url: {receiver.Url}init
                    secretRef:
                      name: hook-key
                      key: key

            """, """
              annotations:
                notifications.sluice.dev/subscribe.on-succeeded.audit: ""

            """);
    }

    /// <summary>v1 brought up from nothing, then moved to v2 in <paramref name="batches"/>.</summary>
    private static async Task UpgradeAsync(TestCluster cluster, string ns, string type, string batches, string plan = "", string metadata = "",
        Func<Task>? prepare = null, string[]? batchPlan = null, string extraProperties = "", int size = 3, string expected = "rolloutSucceed")
    {
        var replicas = type == "daemon" ? (int?)null : size;
        await cluster.ApplyYamlAsync(ns, Walkthrough.Application("app", type, Walkthrough.V1Image, replicas, extraProperties));
        await cluster.ApplyYamlAsync(ns, Walkthrough.AppRollout("app", source: null, target: 1, "IncreaseFirst", "100%"));
        await EndedAsync(cluster, ns, Walkthrough.Revision(1), "rolloutSucceed");
        if (prepare is not null)
        {
            await prepare();
        }

        await cluster.ApplyYamlAsync(ns, Walkthrough.Application("app", type, Walkthrough.V2Image, replicas, extraProperties));
        var rollout = Walkthrough.AppRollout("app", source: 1, target: 2, "IncreaseFirst", batches.Split(',')) + plan;
        if (batchPlan is not null)
        {
            // Batches with more than replicas: the plan's own list replaces the plain one.
            rollout = rollout[..rollout.IndexOf("    rolloutBatches:\n", StringComparison.Ordinal)] + "    rolloutBatches:\n" + string.Concat(batchPlan) + plan;
        }

        await cluster.ApplyYamlAsync(ns, rollout.Replace("metadata:\n  name: rolling-example\n", "metadata:\n  name: rolling-example\n" + metadata, StringComparison.Ordinal));
        await EndedAsync(cluster, ns, Walkthrough.Revision(2), expected);
    }

    /// <summary>
    /// A DaemonSet whose pods never become ready, brought up from nothing: it fails at its deadline and is removed (the
    /// revert has as long again: a deadline of 2 seconds can pass on a loaded machine before anyone looks again).
    /// </summary>
    private static async Task FailedFromNothingAsync(TestCluster cluster)
    {
        const string ns = "ds-bad";
        await cluster.ApplyYamlAsync(ns, Walkthrough.Application("app", "daemon", Walkthrough.V1Image,
            extraProperties: "        annotations:\n          sim.sluice.dev/fault: never-ready\n"));
        await cluster.ApplyYamlAsync(ns, Walkthrough.AppRollout("app", source: null, target: 1, "IncreaseFirst", "100%") + "    progressDeadlineSeconds: 10\n");
        await EndedAsync(cluster, ns, Walkthrough.Revision(1), "rolloutFailed");
        JsonObject? daemonSet = null;
        await Eventually.WaitUntilAsync(async () => (daemonSet = await cluster.Api.GetAsync(ResourceKind.DaemonSet, ns, "app", CancellationToken.None)) is null,
            TimeSpan.FromSeconds(30), () => $"the failed DaemonSet removed; it is {daemonSet?.ToJsonString()}, the rollout's status {cluster.GetAsync(ResourceKind.AppRollout, Walkthrough.Rollout, ns).Result?["status"]?.ToJsonString()}");
    }

    /// <summary>
    /// A CloneSet canary of 6 pods behind a Service and an Istio VirtualService: its first batch takes 20% of the traffic,
    /// and each of its 6 batches is measured by an AnalysisRun whose metric comes from a MetricTemplate of the namespace,
    /// a web provider reading the receiver's JSON; every run passes, the oldest is pruned (5 are kept), and the rollout
    /// succeeds with the route put back.
    /// </summary>
    private static async Task CanaryWithAnalysisAsync(TestCluster cluster, WebhookReceiver receiver)
    {
        const string ns = "canary";
        const string measured = "        canaryMetric:\n          - {name: orders, templateRef: {name: orders}, interval: 1s, count: 1}\n";
        await UpgradeAsync(cluster, ns, "clonesetservice", "1,2", prepare: () => cluster.ApplyYamlAsync(ns, Routed + Orders(receiver)),
            batchPlan: [.. Enumerable.Range(0, 6).Select(i => "      - replicas: 1\n" + (i == 0 ? "        traffic: 20%\n" : "") + measured)],
            plan: "    trafficRouting:\n      service: app\n      istio: {virtualServices: [{name: app}]}\n", extraProperties: "        port: 8080\n", size: 6);
        var route = await cluster.Api.GetAsync(TrafficKinds.VirtualService, ns, "app", CancellationToken.None);
        route!["spec"]!["http"]!.AsArray().Single()!["route"]!.AsArray().Count.ShouldBe(1, $"the VirtualService put back: {route.ToJsonString()}");
        var batches = new List<string>();
        await Eventually.WaitUntilAsync(async () =>
        {
            batches = (await cluster.Api.ListAsync(AnalysisKinds.AnalysisRun, ns, null, CancellationToken.None))["items"]!.AsArray()
                .Select(r => r!["metadata"]!["labels"]![AnalysisRun.BatchLabel]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            return batches.SequenceEqual(["1", "2", "3", "4", "5"]);
        }, TimeSpan.FromSeconds(30), () => $"the oldest of the 6 runs (batch 0) pruned; the runs are of batches {string.Join(", ", batches)}");
        var runs = await cluster.Api.ListAsync(AnalysisKinds.AnalysisRun, ns, null, CancellationToken.None);
        runs["items"]!.AsArray().Select(r => r!["status"]?["phase"]?.GetValue<string>()).Distinct().ShouldBe(["Successful"]);
    }

    /// <summary>A rollout aborted while its first batch's AnalysisRun still measures: the run is terminated, the workload put back.</summary>
    private static async Task AbortedDuringAnalysisAsync(TestCluster cluster, WebhookReceiver receiver)
    {
        const string ns = "canary-abort";
        var rollout = UpgradeAsync(cluster, ns, "clonesetservice", "1,2", prepare: () => cluster.ApplyYamlAsync(ns, Orders(receiver)),
            batchPlan: ["      - replicas: 1\n        canaryMetric:\n          - {name: orders, templateRef: {name: orders}, interval: 1h, count: 2}\n", "      - replicas: 2\n"],
            expected: "rolloutFailed");
        JsonObject? run = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            run = (await cluster.Api.ListAsync(AnalysisKinds.AnalysisRun, ns, null, CancellationToken.None))["items"]!.AsArray().OfType<JsonObject>().FirstOrDefault();
            return run?["status"]?["metricResults"]?[0]?["measurements"] is JsonArray { Count: > 0 };
        }, TimeSpan.FromSeconds(90), () => $"the first batch's run measuring; it is {run?.ToJsonString()}");
        await cluster.Kubectl.RunAsync("annotate", "-n", ns, "approllout", Walkthrough.Rollout, "rollout.sluice.dev/abort=true");
        await rollout;
        run = await cluster.Api.GetAsync(AnalysisKinds.AnalysisRun, ns, run!["metadata"]!["name"]!.GetValue<string>(), CancellationToken.None);
        run!["spec"]!["terminate"]?.GetValue<bool>().ShouldBe(true, $"the run terminated: {run.ToJsonString()}");
    }

    /// <summary>The Service and VirtualService of component app (CloneSet pods listen on 8080).</summary>
    private const string Routed = """
        apiVersion: v1
        kind: Service
        metadata: {name: app}
        spec:
          selector: {app.oam.dev/component: app}
          ports: [{name: http, port: 80, targetPort: 8080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: app}
        spec:
          hosts: [app]
          http: [{name: primary, route: [{destination: {host: app}}]}]
        ---

        """;

    /// <summary>The namespace's MetricTemplate orders: a web provider reading orders per minute from the receiver (42), above 10 passes.</summary>
    private static string Orders(WebhookReceiver receiver)
    {
        receiver.Reply = path => path == "orders" ? """{"perMinute": 42}""" : null;
        return """
            apiVersion: rollout.sluice.dev/v1alpha1
            kind: MetricTemplate
            metadata: {name: orders}
            spec:
              provider:
                web:
                  url: RECEIVERorders?revision={{targetRevision}}
                  jsonPath: $.perMinute
              successCondition: result > 10
            """.Replace("RECEIVER", receiver.Url, StringComparison.Ordinal);
    }

    /// <summary>Blue/green between two CloneSets: the target beside the source, the active Service switched once, the source removed.</summary>
    private static async Task BlueGreenAsync(TestCluster cluster)
    {
        const string ns = "bluegreen";
        await UpgradeAsync(cluster, ns, "clonesetservice", "1,2", prepare: () => cluster.ApplyYamlAsync(ns, """
            apiVersion: v1
            kind: Service
            metadata: {name: app-active}
            spec:
              selector: {app.oam.dev/component: app}
              ports: [{name: http, port: 80, targetPort: 8080}]
            """), plan: "    blueGreen:\n      activeService: app-active\n      previewService: app-preview\n      scaleDownDelaySeconds: 1\n", extraProperties: "        port: 8080\n");
    }

    /// <summary>
    /// examples/custom-kind unchanged: the Widget CRD, its WorkloadKind (and the ClusterRole that lets the controller drive
    /// Widgets), a component type, an Application and the AppRollout following it, which brings v1 up in batches.
    /// </summary>
    private static async Task DeclaredKindAsync(TestCluster cluster)
    {
        const string ns = "widgets";
        var example = Path.Combine(RepoPaths.Root, "examples", "custom-kind");
        await cluster.ApplyAsync([.. new[] { "01-widget-crd.yaml", "02-workloadkind.yaml", "03-widget-definition.yaml" }.Select(f => Path.Combine(example, f))]);
        await cluster.ApplyYamlAsync(ns, await File.ReadAllTextAsync(Path.Combine(example, "04-application-v1.yaml")) + "\n---\n" + await File.ReadAllTextAsync(Path.Combine(example, "05-rollout.yaml")));
        await EndedAsync(cluster, ns, "gadgets-v1", "rolloutSucceed", rollout: "gadgets");
    }

    /// <summary>
    /// A rollout following an Application whose pods mount a ConfigMap and a Secret (read through immutable copies): v1,
    /// then v2 made by a change of the ConfigMap, then a v3 whose pods never become ready, which fails and is marked.
    /// </summary>
    private static async Task FollowedConfigAsync(TestCluster cluster)
    {
        const string ns = "config";
        static string Site(string image, string fault = "") => $$"""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata:
              name: site
              annotations:
                "app.oam.dev/rollout-template": "true"
            spec:
              components:
                - name: web
                  type: clonesetservice
                  properties:
                    image: {{image}}
                    port: 8080
                    replicas: 3
                    updateStrategyType: InPlaceIfPossible
            {{fault}}      traits:
                    - type: volumes
                      properties:
                        volumes:
                          - {name: config, type: configMap, cmName: web-config}
                          - {name: token, type: secret, secretName: web-token}
            """;
        static string Config(string value) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: \"{value}\"\n";

        await cluster.ApplyYamlAsync(ns, Config("hello") + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: web-token\ndata:\n  token: "
            + Convert.ToBase64String("t0ken"u8) + "\n");
        await cluster.ApplyYamlAsync(ns, Site(Walkthrough.V1Image) + "\n" + """
            ---
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata:
              name: site-follower
            spec:
              follow:
                application: site
              componentList: [web]
              rolloutPlan:
                progressDeadlineSeconds: 10
                rolloutBatches:
                  - replicas: 1
                  - replicas: 2
            """);
        await EndedAsync(cluster, ns, "site-v1", "rolloutSucceed", rollout: "site-follower");
        await cluster.ApplyYamlAsync(ns, Config("hello again"));
        await EndedAsync(cluster, ns, "site-v2", "rolloutSucceed", rollout: "site-follower");
        await cluster.ApplyYamlAsync(ns, Site(Walkthrough.V2Image, "        annotations:\n          sim.sluice.dev/fault: never-ready\n"));
        await EndedAsync(cluster, ns, "site-v3", "rolloutFailed", rollout: "site-follower");
        JsonObject? revision = null;
        await Eventually.WaitUntilAsync(async () => (revision = await cluster.GetAsync(ResourceKind.ApplicationRevision, "site-v3", ns))?["metadata"]?["annotations"]?[RolloutFollowing.FailedAnnotation] is not null,
            TimeSpan.FromSeconds(30), () => $"site-v3 marked as failed; it is {revision?["metadata"]?.ToJsonString()}");
    }

    /// <summary>An Application (no rollout) whose traits output an Ingress and a HorizontalPodAutoscaler, applied by the Application controller.</summary>
    private static async Task TraitsAsync(TestCluster cluster)
    {
        const string ns = "traits";
        await cluster.ApplyYamlAsync(ns, """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: site}
            spec:
              components:
                - name: site
                  type: webservice
                  properties: {image: stefanprodan/podinfo:4.0.6, port: 9898}
                  traits:
                    - type: ingress
                      properties: {domain: site.example.com, http: {"/": 9898}}
                    - type: cpuscaler
                      properties: {min: 1, max: 3}
            """);
        await Eventually.WaitUntilAsync(async () => await cluster.Api.GetAsync(TrafficKinds.Ingress, ns, "site", CancellationToken.None) is not null
                && await cluster.Api.GetAsync(ResourceKinds.For("autoscaling/v2", "HorizontalPodAutoscaler"), ns, "site", CancellationToken.None) is not null,
            TimeSpan.FromSeconds(90), () => "the traits' Ingress and HorizontalPodAutoscaler");
    }

    /// <summary>
    /// A canary's traffic intents through every router (Services, an HTTPRoute, a VirtualService, an NGINX Ingress), as
    /// the AppRollout reconciler applies them, with <paramref name="api"/>: taken over, 20%, 100%, promoted, reset.
    /// </summary>
    private static async Task TrafficAsync(TestCluster cluster, IKubeApi api)
    {
        const string ns = "traffic";
        await cluster.ApplyYamlAsync(ns, """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: public}]
              rules: [{backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web]
              http: [{route: [{destination: {host: web}}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              rules:
              - http:
                  paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
            """);
        var plan = new RolloutPlan
        {
            TrafficRouting = new TrafficRouting
            {
                Service = "web",
                GatewayApi = new GatewayApiRouting { HttpRoutes = ["web"] },
                Istio = new IstioRouting { VirtualServices = [new IstioVirtualService { Name = "web" }] },
                Nginx = new NginxRouting { Ingress = "web" },
            },
            RolloutBatches = [new RolloutBatch { Traffic = "20%" }, new RolloutBatch()],
        };
        var rollout = await cluster.Api.CreateAsync(ResourceKind.AppRollout, ns, new JsonObject
        {
            ["apiVersion"] = "core.oam.dev/v1beta1",
            ["kind"] = "AppRollout",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["targetAppRevisionName"] = "none-v1", ["rolloutPlan"] = new JsonObject { ["rolloutBatches"] = new JsonArray(new JsonObject { ["replicas"] = 1 }) } },
        }, CancellationToken.None);
        var target = new TrafficTarget(ns, "web", rollout["metadata"]!["uid"]!.GetValue<string>(), plan, SourceHash: "hash-v1", TargetHash: "hash-v2");
        var routers = new TrafficRouters(new WorkloadPatcher(api));
        (await routers.VerifyAsync(target, CancellationToken.None)).ShouldBeEmpty();
        await routers.ApplyAsync(target, [new PinServices("hash-v1", "hash-v2"), new RouteTraffic(20, [], 0)], CancellationToken.None);
        (await routers.ObserveAsync(target, CancellationToken.None)).Weight.ShouldBe(20);
        await routers.ApplyAsync(target, [new RouteTraffic(100, [], 0)], CancellationToken.None);
        await routers.ApplyAsync(target, [new PromoteStable("hash-v2")], CancellationToken.None);
        await routers.ApplyAsync(target, [new ResetTraffic()], CancellationToken.None);
        (await routers.ObserveAsync(target, CancellationToken.None)).Touched.ShouldBeFalse();
    }
}
