using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Workloads;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Runtime;

public sealed class CachedKubeApiTests : IAsyncDisposable
{
    private readonly FakeKubeApi api = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Informer informer;
    private readonly CachedKubeApi reads;

    public CachedKubeApiTests()
    {
        informer = new Informer(api, ResourceKind.CloneSet, "default", TimeProvider.System, NullLogger.Instance);
        reads = new CachedKubeApi(api).Serve(informer);
    }

    [Fact]
    public async Task Get_BeforeTheInformerSynced_AsksTheServer()
    {
        api.Put(ResourceKind.CloneSet, CloneSet("web", 1));

        var found = await reads.GetAsync(ResourceKind.CloneSet, "default", "web", CancellationToken.None);

        found.ShouldNotBeNull();
        api.Calls.ShouldContain("get clonesets web");
    }

    [Fact]
    public async Task Get_OnceSynced_IsAnsweredFromTheCacheWithoutARequest()
    {
        api.Put(ResourceKind.CloneSet, CloneSet("web", 1));
        await SyncAsync();

        var found = await reads.GetAsync(ResourceKind.CloneSet, "default", "web", CancellationToken.None);
        var missing = await reads.GetAsync(ResourceKind.CloneSet, "default", "nothing", CancellationToken.None);

        JsonPath.Int(found!, "spec.replicas").ShouldBe(1);
        missing.ShouldBeNull();
        api.Calls.ShouldNotContain(c => c.StartsWith("get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_OfAnotherNamespaceThanTheInformerWatches_AsksTheServer()
    {
        await SyncAsync();

        await reads.GetAsync(ResourceKind.CloneSet, "other", "web", CancellationToken.None);

        api.Calls.ShouldContain("get clonesets web");
    }

    [Fact]
    public async Task Writes_AreReadBackAtOnce_EvenBeforeTheirWatchEvents()
    {
        await SyncAsync();
        await stop.CancelAsync(); // no watch events from here on: only the writes' answers can fill the cache

        await reads.CreateAsync(ResourceKind.CloneSet, "default", CloneSet("web", 1), CancellationToken.None);
        var created = await reads.GetAsync(ResourceKind.CloneSet, "default", "web", CancellationToken.None);
        await reads.MergePatchAsync(ResourceKind.CloneSet, "default", "web", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } }, null, CancellationToken.None);
        var patched = await reads.GetAsync(ResourceKind.CloneSet, "default", "web", CancellationToken.None);

        JsonPath.Int(created!, "spec.replicas").ShouldBe(1);
        JsonPath.Int(patched!, "spec.replicas").ShouldBe(3);
        api.Calls.ShouldNotContain(c => c.StartsWith("get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_ByTheIndexedLabel_IsAnsweredFromTheCacheAndFollowsRelabelling()
    {
        var revisions = new Informer(api, ResourceKind.ApplicationRevision, "default", TimeProvider.System, NullLogger.Instance).IndexByLabel("app.oam.dev/name");
        reads.Serve(revisions);
        api.Put(ResourceKind.ApplicationRevision, Revision("a-v1", "a"));
        api.Put(ResourceKind.ApplicationRevision, Revision("a-v2", "a"));
        api.Put(ResourceKind.ApplicationRevision, Revision("b-v1", "b"));
        _ = revisions.RunAsync(stop.Token);
        await revisions.Synced.WaitAsync(TimeSpan.FromSeconds(5));
        var listsBefore = api.Calls.Count(c => c == "list applicationrevisions");

        var ofA = await reads.ListAsync(ResourceKind.ApplicationRevision, "default", "app.oam.dev/name=a", CancellationToken.None);
        api.Put(ResourceKind.ApplicationRevision, Revision("a-v2", "b"));
        await Sluice.Testing.Eventually.WaitUntil(() => revisions.ListByLabel("a").Count == 1);
        var ofB = await reads.ListAsync(ResourceKind.ApplicationRevision, "default", "app.oam.dev/name=b", CancellationToken.None);

        Names(ofA).ShouldBe(["a-v1", "a-v2"], ignoreOrder: true);
        Names(ofB).ShouldBe(["a-v2", "b-v1"], ignoreOrder: true);
        api.Calls.Count(c => c == "list applicationrevisions").ShouldBe(listsBefore, "the lists are answered from the cache");
    }

    [Fact]
    public async Task List_ByAnyOtherSelector_AsksTheServer()
    {
        var revisions = new Informer(api, ResourceKind.ApplicationRevision, "default", TimeProvider.System, NullLogger.Instance).IndexByLabel("app.oam.dev/name");
        reads.Serve(revisions);
        _ = revisions.RunAsync(stop.Token);
        await revisions.Synced.WaitAsync(TimeSpan.FromSeconds(5));
        var listsBefore = api.Calls.Count(c => c == "list applicationrevisions");

        await reads.ListAsync(ResourceKind.ApplicationRevision, "default", "app.oam.dev/name!=a", CancellationToken.None);
        await reads.ListAsync(ResourceKind.ApplicationRevision, "default", "other=a", CancellationToken.None);

        api.Calls.Count(c => c == "list applicationrevisions").ShouldBe(listsBefore + 2);
    }

    private static IEnumerable<string> Names(JsonObject list) => list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>());

    private static JsonObject Revision(string name, string app) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app.oam.dev/name"] = app } },
    };

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        stop.Dispose();
    }

    private async Task SyncAsync()
    {
        _ = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static JsonObject CloneSet(string name, int replicas) => new()
    {
        ["apiVersion"] = "apps.kruise.io/v1alpha1",
        ["kind"] = "CloneSet",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["replicas"] = replicas },
    };
}
