using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The end-to-end scenarios that together reach every kind of call the controllers make, each in a namespace of its
/// own and all at once: the seed's walkthrough (CloneSet, in place), a Deployment upgrade with a signed webhook and a
/// notification, a StatefulSet upgrade, a DaemonSet upgrade, a DaemonSet that fails from nothing and is rolled back,
/// and every traffic router through a canary's intents.
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
            TrafficAsync(cluster, routersApi));
    }

    /// <summary>Waits until the rollout to <paramref name="target"/> has ended, and fails at once when it ended otherwise.</summary>
    public static async Task EndedAsync(TestCluster cluster, string ns, string target, string expected)
    {
        JsonObject? last = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            last = await cluster.GetAsync(ResourceKind.AppRollout, Walkthrough.Rollout, ns);
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
    private static async Task UpgradeAsync(TestCluster cluster, string ns, string type, string batches, string plan = "", string metadata = "")
    {
        await cluster.ApplyYamlAsync(ns, Walkthrough.Application("app", type, Walkthrough.V1Image, replicas: type == "daemon" ? null : 3));
        await cluster.ApplyYamlAsync(ns, Walkthrough.AppRollout("app", source: null, target: 1, "IncreaseFirst", "100%"));
        await EndedAsync(cluster, ns, Walkthrough.Revision(1), "rolloutSucceed");
        await cluster.ApplyYamlAsync(ns, Walkthrough.Application("app", type, Walkthrough.V2Image, replicas: type == "daemon" ? null : 3));
        var rollout = Walkthrough.AppRollout("app", source: 1, target: 2, "IncreaseFirst", batches.Split(',')) + plan;
        await cluster.ApplyYamlAsync(ns, rollout.Replace("metadata:\n  name: rolling-example\n", "metadata:\n  name: rolling-example\n" + metadata, StringComparison.Ordinal));
        await EndedAsync(cluster, ns, Walkthrough.Revision(2), "rolloutSucceed");
    }

    /// <summary>A DaemonSet whose pods never become ready, brought up from nothing: it fails at its deadline and is removed.</summary>
    private static async Task FailedFromNothingAsync(TestCluster cluster)
    {
        const string ns = "ds-bad";
        await cluster.ApplyYamlAsync(ns, Walkthrough.Application("app", "daemon", Walkthrough.V1Image,
            extraProperties: "        annotations:\n          sim.sluice.dev/fault: never-ready\n"));
        await cluster.ApplyYamlAsync(ns, Walkthrough.AppRollout("app", source: null, target: 1, "IncreaseFirst", "100%") + "    progressDeadlineSeconds: 2\n");
        await EndedAsync(cluster, ns, Walkthrough.Revision(1), "rolloutFailed");
        await Eventually.WaitUntilAsync(async () => await cluster.Api.GetAsync(ResourceKind.DaemonSet, ns, "app", CancellationToken.None) is null,
            TimeSpan.FromSeconds(30), () => "the failed DaemonSet removed");
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
