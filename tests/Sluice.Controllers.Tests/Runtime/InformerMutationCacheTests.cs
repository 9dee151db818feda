using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Runtime;

/// <summary>What the informer's cache does with the objects the controller's own writes return.</summary>
public sealed class InformerMutationCacheTests : IAsyncDisposable
{
    private readonly FakeKubeApi api = new();
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> seen = [];
    private Informer informer = null!;
    private Task run = Task.CompletedTask;

    [Fact]
    public async Task Observe_AWriteNewerThanTheCache_IsReadBeforeItsWatchEvent()
    {
        var written = await StartWithAsync(Pod("a", "Pending"));
        var newer = Versioned(written, "Running", Version(written) + 10);

        informer.Observe(newer, created: false);

        Phase("a").ShouldBe("Running");
    }

    [Fact]
    public async Task Observe_AWriteOlderThanTheCache_IsIgnored()
    {
        var written = await StartWithAsync(Pod("a", "Pending"));

        informer.Observe(Versioned(written, "Stale", Version(written) - 1), created: false);

        Phase("a").ShouldBe("Pending");
    }

    [Fact]
    public async Task Observe_AnUpdateOfAnObjectDeletedMeanwhile_DoesNotBringItBack()
    {
        var written = await StartWithAsync(Pod("a", "Pending"));
        await api.DeleteAsync(ResourceKind.Pod, "default", "a", null, CancellationToken.None);
        await Eventually.WaitUntil(() => informer.Get("default", "a") is null);

        informer.Observe(Versioned(written, "Running", Version(written) + 1), created: false);

        informer.Get("default", "a").ShouldBeNull();
    }

    [Fact]
    public async Task Watch_AnEventOlderThanAnObservedWrite_NeitherRegressesTheCacheNorIsRaised()
    {
        var written = await StartWithAsync(Pod("a", "Pending"));
        var ahead = Versioned(written, "Ahead", Version(written) + 100);
        informer.Observe(ahead, created: false);

        api.Put(ResourceKind.Pod, Pod("a", "Behind"));
        api.Put(ResourceKind.Pod, Pod("marker", "Pending"));
        await Eventually.WaitUntil(() => informer.Get("default", "marker") is not null);

        Phase("a").ShouldBe("Ahead");
        lock (seen)
        {
            seen.ShouldBe(["Added a", "Added marker"]);
        }
    }

    [Fact]
    public async Task Get_ReturnsACopy_ChangingItLeavesTheCacheAlone()
    {
        await StartWithAsync(Pod("a", "Pending"));

        informer.Get("default", "a")!["status"]!["phase"] = "Changed";

        Phase("a").ShouldBe("Pending");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        stop.Dispose();
    }

    private async Task<JsonObject> StartWithAsync(JsonObject pod)
    {
        var written = api.Put(ResourceKind.Pod, pod);
        informer = new Informer(api, ResourceKind.Pod, null, TimeProvider.System, NullLogger.Instance);
        informer.Changed += e => { lock (seen) { seen.Add($"{e.Type} {ObjectKey.Of(e.Object).Name}"); } };
        run = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(5));
        return written;
    }

    private string? Phase(string name) => informer.Get("default", name)?["status"]?["phase"]?.GetValue<string>();

    private static long Version(JsonObject obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Versioned(JsonObject obj, string phase, long version)
    {
        var copy = obj.DeepClone().AsObject();
        copy["status"] = new JsonObject { ["phase"] = phase };
        copy["metadata"]!["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }

    private static JsonObject Pod(string name, string phase) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["status"] = new JsonObject { ["phase"] = phase } };
}
