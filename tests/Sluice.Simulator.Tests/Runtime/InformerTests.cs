using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.Simulator;
using Sluice.Simulator.Runtime;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests.Runtime;

public sealed class InformerTests
{
    private static readonly GroupResource ConfigMaps = new("", "configmaps");

    private static JsonObject ConfigMap(string name, string? ownerUid = null)
    {
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name } };
        if (ownerUid is not null)
        {
            cm["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "owner", ["uid"] = ownerUid, ["controller"] = true,
            });
        }
        return cm;
    }

    [Fact]
    public async Task RunAsync_ListThenWatch_CachesAndIndexesByController()
    {
        await using var cluster = await SimCluster.StartAsync();
        // A real owner: the plane's garbage collector deletes dependents whose owner does not exist.
        var o1 = Json.Uid(cluster.Store.Create(ConfigMaps, "default", ConfigMap("owner")));
        cluster.Store.Create(ConfigMaps, "default", ConfigMap("before", o1));
        var seen = new ConcurrentQueue<(string, string)>();
        var informer = new Informer(cluster.Store, ConfigMaps, TimeProvider.System, (type, o) => seen.Enqueue((type, Json.Name(o))));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));

        cluster.Store.Create(ConfigMaps, "default", ConfigMap("after", o1));
        await SimCluster.WaitUntil(() => informer.Owned(o1).Count == 2, "both are indexed under their owner", 10);
        cluster.Store.Delete(ConfigMaps, "default", "before");
        await SimCluster.WaitUntil(() => informer.Get("default", "before") is null, "the deletion is seen", 10);

        informer.Owned(o1).Select(Json.Name).ShouldBe(["after"]);
        seen.ShouldContain(("ADDED", "before"));
        seen.ShouldContain(("ADDED", "after"));
        seen.ShouldContain(("DELETED", "before"));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Upsert_OlderVersion_IsIgnoredAndForgottenObjectsStayGone()
    {
        await using var cluster = await SimCluster.StartAsync();
        var informer = new Informer(cluster.Store, ConfigMaps, TimeProvider.System, (_, _) => { });
        var v1 = cluster.Store.Create(ConfigMaps, "default", ConfigMap("cm"));
        var v2 = cluster.Store.Mutate(ConfigMaps, "default", "cm", o =>
        {
            o["data"] = new JsonObject { ["k"] = "v" };
            return o;
        });

        informer.Upsert(v2);
        informer.Upsert(v1);
        Json.ResourceVersion(informer.Get("default", "cm")!).ShouldBe(Json.ResourceVersion(v2));

        informer.Forget(v2);
        informer.Upsert(v2);
        informer.Get("default", "cm").ShouldBeNull("a stale event does not bring back what this process deleted");
    }
}
