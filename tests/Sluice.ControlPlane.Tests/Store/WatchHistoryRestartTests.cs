using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Store;

/// <summary>The watch history survives a restart: resume from a resourceVersion, or 410 when too old, never a gap.</summary>
public sealed class WatchHistoryRestartTests : IDisposable
{
    private static readonly GroupResource ConfigMaps = new("", "configmaps");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sluice-history-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();

    public WatchHistoryRestartTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ResourceStore Open(int history = 50) => new(Path.Combine(_dir, "store.db"), _time, historyLimit: history);

    private static JsonObject Cm(string name, string value) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["v"] = value } };

    private static List<WatchEvent> Drain(WatchSubscription watch)
    {
        var events = new List<WatchEvent>();
        while (watch.Events.TryRead(out var e))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public void Watch_FromAVersionBeforeARestart_ReplaysEveryChangeSinceInOrder()
    {
        long from;
        using (var store = Open())
        {
            store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
            store.Create(ConfigMaps, "default", Cm("a", "1"));
            from = store.ResourceVersion;
            store.Mutate(ConfigMaps, "default", "a", o => { o["data"]!["v"] = "2"; return o; });
            store.Create(ConfigMaps, "default", Cm("b", "1"));
            store.Delete(ConfigMaps, "default", "a");
        }

        using var reopened = Open();
        using var watch = reopened.Watch(ConfigMaps, "default", from.ToString(CultureInfo.InvariantCulture));
        reopened.Create(ConfigMaps, "default", Cm("c", "1"));
        var events = Drain(watch);

        events.Select(e => $"{e.Type} {e.Object["metadata"]!["name"]} {e.ResourceVersion}").ShouldBe(
        [
            $"MODIFIED a {from + 1}", $"ADDED b {from + 2}", $"DELETED a {from + 3}", $"ADDED c {from + 4}",
        ]);
        events[0].Object["data"]!["v"]!.GetValue<string>().ShouldBe("2");
    }

    [Fact]
    public void Watch_WithASelectorAcrossARestart_StillSeesObjectsLeaveTheSelection()
    {
        long from;
        using (var store = Open())
        {
            store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
            store.Create(ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x", ["labels"] = new JsonObject { ["k"] = "in" } } });
            from = store.ResourceVersion;
            store.Mutate(ConfigMaps, "default", "x", o => { o["metadata"]!["labels"]!["k"] = "out"; return o; });
        }

        using var reopened = Open();
        using var watch = reopened.Watch(ConfigMaps, "default", from.ToString(CultureInfo.InvariantCulture), ObjectFilter.Parse("k=in", null));

        // The change's previous object came back from the disk too: the object left the selection.
        Drain(watch).Select(e => e.Type).ShouldBe(["DELETED"]);
    }

    [Fact]
    public void ListExact_AtAVersionBeforeARestart_IsThePastState()
    {
        long at;
        using (var store = Open())
        {
            store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
            store.Create(ConfigMaps, "default", Cm("a", "1"));
            at = store.ResourceVersion;
            store.Delete(ConfigMaps, "default", "a");
            store.Create(ConfigMaps, "default", Cm("b", "1"));
        }

        using var reopened = Open();
        var page = reopened.ListPage(ConfigMaps, "default", null, new ListOptions(ResourceVersion: at.ToString(CultureInfo.InvariantCulture), ResourceVersionMatch: "Exact"));

        page.Items.Select(i => i["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["a"]);
    }

    [Fact]
    public void Watch_OlderThanThePersistedWindow_Is410()
    {
        long from;
        using (var store = Open(history: 5))
        {
            store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
            store.Create(ConfigMaps, "default", Cm("a", "0"));
            from = store.ResourceVersion;
            for (var i = 1; i <= 10; i++)
            {
                store.Mutate(ConfigMaps, "default", "a", o => { o["data"]!["v"] = i.ToString(CultureInfo.InvariantCulture); return o; });
            }
        }

        using var reopened = Open(history: 5);
        var error = Should.Throw<ApiException>(() => reopened.Watch(ConfigMaps, "default", from.ToString(CultureInfo.InvariantCulture)));
        using var recent = reopened.Watch(ConfigMaps, "default", (reopened.ResourceVersion - 3).ToString(CultureInfo.InvariantCulture));

        error.Status.Code.ShouldBe(410);
        Drain(recent).Count.ShouldBe(3);
    }

    [Fact]
    public async Task KubectlRawWatch_FromTheLastVersionSeenBeforeARestart_GetsTheChangesMadeAroundIt()
    {
        var planeDir = Path.Combine(_dir, "plane");
        var options = new ControlPlaneOptions { DataDir = planeDir, Port = 0 };
        string last;
        string kubeconfig;
        await using (var plane = await ControlPlaneServer.StartAsync(options, TimeProvider.System))
        {
            kubeconfig = plane.KubeconfigPath;
            var kubectl = new Kubectl(kubeconfig);
            (await kubectl.RunAsync("create", "configmap", "before")).ExitCode.ShouldBe(0);
            last = (await kubectl.RunAsync("get", "configmap", "before", "-o", "jsonpath={.metadata.resourceVersion}")).Stdout;
            // Written after the watcher's last event, acknowledged, and then the plane stops.
            (await kubectl.RunAsync("create", "configmap", "during")).ExitCode.ShouldBe(0);
        }
        await using var restarted = await ControlPlaneServer.StartAsync(options, TimeProvider.System);
        var again = new Kubectl(restarted.KubeconfigPath);
        (await again.RunAsync("create", "configmap", "after")).ExitCode.ShouldBe(0);

        var resumed = await again.RunAsync("get", "--raw", $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={last}&timeoutSeconds=2");

        resumed.ExitCode.ShouldBe(0, resumed.Output);
        var names = resumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).Where(e => e["type"]!.GetValue<string>() == "ADDED")
            .Select(e => e["object"]!["metadata"]!["name"]!.GetValue<string>()).ToList();
        names.ShouldBe(["during", "after"]);
    }
}
