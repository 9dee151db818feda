using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

/// <summary>Pods end as on a cluster: terminating (deletionTimestamp), not ready and out of the endpoints at once, then gone.</summary>
public sealed class WorkloadSimulatorTerminationTests
{
    private static readonly GroupResource Services = new("", "services");
    private static readonly GroupResource Slices = new("discovery.k8s.io", "endpointslices");

    private const string Web = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1","ports":[{"name":"http","containerPort":8080}]}]}}}}
        """;

    private const string Service = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
         "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}
        """;

    private static JsonObject? SliceOf(SimCluster cluster) =>
        cluster.Store.List(Slices, "default", ObjectFilter.Parse("kubernetes.io/service-name=web", null)).Items.SingleOrDefault();

    private static IEnumerable<JsonObject> Endpoints(JsonObject? slice) => (slice?["endpoints"] as JsonArray ?? []).OfType<JsonObject>();

    private static bool Flag(JsonObject endpoint, string condition) => Json.Bool(endpoint, "conditions", condition);

    [Fact]
    public async Task Delete_ScheduledPod_TerminatesNotReadyLeavesTheEndpointsThenGoes()
    {
        await using var cluster = await SimCluster.StartAsync(terminationDelay: "1500ms");
        cluster.Apply(SimCluster.Deployments, Web);
        cluster.Apply(Services, Service);
        await SimCluster.WaitUntil(() => Endpoints(SliceOf(cluster)).Count(e => Flag(e, "ready")) == 3, "three ready endpoints");
        var slice = SliceOf(cluster)!;
        slice["ports"]![0]!["port"]!.GetValue<int>().ShouldBe(8080, "the named target port resolved against the pods");
        slice["addressType"]!.GetValue<string>().ShouldBe("IPv4");
        slice["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>().ShouldBe("Service");
        await using var history = new PodHistory(cluster.Store, p => Json.Label(p, "app") == "web");
        using var slices = cluster.Store.Watch(Slices, "default", cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        var victim = cluster.PodsLabelled("app=web")[0];

        var deleted = cluster.Store.Delete(SimCluster.Pods, "default", Json.Name(victim));

        deleted.Removed.ShouldBeFalse("a pod on a node terminates first");
        Json.Str(deleted.Object, "metadata", "deletionTimestamp").ShouldNotBeEmpty();
        Json.Long(deleted.Object, "metadata", "deletionGracePeriodSeconds").ShouldBe(30);
        await SimCluster.WaitUntil(() => Endpoints(SliceOf(cluster)).Any(e => Json.Str(e, "targetRef", "name") == Json.Name(victim)
            && Flag(e, "terminating") && !Flag(e, "ready")), "the endpoint is terminating and not ready");
        cluster.Store.Get(SimCluster.Pods, "default", Json.Name(victim)).ShouldNotBeNull("still there within its simulated grace period");
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=web").All(p => Json.Uid(p) != Json.Uid(victim)), "the pod is gone");
        await SimCluster.WaitUntil(() => Endpoints(SliceOf(cluster)).Count(e => Flag(e, "ready")) == 3
            && Endpoints(SliceOf(cluster)).All(e => Json.Str(e, "targetRef", "name") != Json.Name(victim)), "a replacement is a ready endpoint");

        history.Removals.ShouldHaveSingleItem().EndedGracefully.ShouldBeTrue();
        slices.Dispose();
        var events = new List<JsonObject>();
        while (slices.Events.TryRead(out var change))
        {
            events.Add(change.Object);
        }
        events.ShouldNotBeEmpty();
        events.SelectMany(Endpoints).ShouldAllBe(e => !Flag(e, "terminating") || !Flag(e, "ready"), "a terminating pod is never a ready endpoint");
    }

    [Fact]
    public async Task KubectlDeletePod_WaitsWhileThePodIsTerminating()
    {
        await using var cluster = await SimCluster.StartAsync(terminationDelay: "2s");
        cluster.Apply(SimCluster.Deployments, Web);
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=web").Count(Pods.IsReady) == 3, "three pods ready");
        var name = Json.Name(cluster.PodsLabelled("app=web")[0]);
        var kubectl = new Sluice.Testing.Kubectl(cluster.Plane.KubeconfigPath);

        var delete = kubectl.TryAsync("delete", "pod", name, "-n", "default");
        string status = "";
        await SimCluster.WaitUntil(() =>
        {
            status = kubectl.TryAsync("get", "pod", name, "-n", "default", "--no-headers").GetAwaiter().GetResult().Stdout;
            return status.Contains("Terminating", StringComparison.Ordinal) || delete.IsCompleted;
        }, "kubectl shows the pod terminating");
        var result = await delete;

        status.ShouldContain("Terminating");
        result.Code.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain($"pod \"{name}\" deleted");
        cluster.PodsLabelled("app=web").ShouldAllBe(p => Json.Name(p) != name, "kubectl returned once the pod was gone");
    }

    [Fact]
    public async Task Delete_WithGraceZero_RemovesAtOnce()
    {
        await using var cluster = await SimCluster.StartAsync(terminationDelay: "5s");
        cluster.Apply(SimCluster.Deployments, Web);
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=web").Count(Pods.IsReady) == 3, "three pods ready");
        var victim = cluster.PodsLabelled("app=web")[0];

        var deleted = cluster.Store.Delete(SimCluster.Pods, "default", Json.Name(victim), new DeleteOptions(GracePeriodSeconds: 0));

        deleted.Removed.ShouldBeTrue();
    }

    [Fact]
    public async Task Delete_ASecondTime_OnlyShortensTheGracePeriod()
    {
        await using var cluster = await SimCluster.StartAsync(terminationDelay: "5s");
        cluster.Apply(SimCluster.Deployments, Web);
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=web").Count(Pods.IsReady) == 3, "three pods ready");
        var name = Json.Name(cluster.PodsLabelled("app=web")[0]);

        var first = cluster.Store.Delete(SimCluster.Pods, "default", name, new DeleteOptions(GracePeriodSeconds: 20));
        var longer = cluster.Store.Delete(SimCluster.Pods, "default", name, new DeleteOptions(GracePeriodSeconds: 60));
        var shorter = cluster.Store.Delete(SimCluster.Pods, "default", name, new DeleteOptions(GracePeriodSeconds: 5));

        Json.Long(first.Object, "metadata", "deletionGracePeriodSeconds").ShouldBe(20);
        Json.Long(longer.Object, "metadata", "deletionGracePeriodSeconds").ShouldBe(20);
        Json.Long(shorter.Object, "metadata", "deletionGracePeriodSeconds").ShouldBe(5);
        Json.Time(shorter.Object, "metadata", "deletionTimestamp")!.Value.ShouldBeLessThan(Json.Time(first.Object, "metadata", "deletionTimestamp")!.Value);
    }

    [Fact]
    public async Task Recreate_NewPodsStartOnlyOnceTheTerminatingOnesAreGone()
    {
        await using var cluster = await SimCluster.StartAsync(terminationDelay: "800ms");
        cluster.Apply(SimCluster.Deployments, Web.Replace("\"replicas\":3,", "\"replicas\":3,\"strategy\":{\"type\":\"Recreate\"},", StringComparison.Ordinal));
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=web").Count(Pods.IsReady) == 3, "three pods ready");
        var oldHash = Json.Label(cluster.PodsLabelled("app=web")[0], "pod-template-hash");
        using var watch = cluster.Store.Watch(SimCluster.Pods, "default", null);
        var seen = new Dictionary<string, JsonObject>();
        var overlaps = 0;
        var reader = Task.Run(async () =>
        {
            await foreach (var change in watch.Events.ReadAllAsync())
            {
                if (change.Type == "DELETED")
                {
                    seen.Remove(Json.Name(change.Object));
                }
                else
                {
                    seen[Json.Name(change.Object)] = change.Object;
                }
                var hashes = seen.Values.Select(p => Json.Label(p, "pod-template-hash")).Distinct().ToList();
                if (hashes.Count > 1)
                {
                    overlaps++;
                }
            }
        });

        cluster.Change(SimCluster.Deployments, "web", d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2");
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=web") is { Count: 3 } pods
            && pods.All(p => Json.Label(p, "pod-template-hash") != oldHash && Pods.IsReady(p)), "the new pods are ready");
        watch.Dispose();
        await reader;

        overlaps.ShouldBe(0, "no new pod while an old one, terminating or not, is still there");
    }
}
