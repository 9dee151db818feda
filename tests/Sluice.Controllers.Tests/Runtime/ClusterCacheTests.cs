using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Runtime;

public class ClusterCacheTests
{
    private static JsonObject Pod(string ns, string name, string phase = "Pending") =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns }, ["status"] = new JsonObject { ["phase"] = phase } };

    [Fact]
    public async Task Acquire_ThenChanges_AreReadableAndRaised()
    {
        var api = new FakeKubeApi();
        api.Put(ResourceKind.Pod, Pod("a", "one"));
        api.Put(ResourceKind.Pod, Pod("b", "two"));
        await using var cache = new ClusterCache(api, TimeProvider.System, NullLogger.Instance);
        var signal = new ChangeSignal();
        cache.Changed += (kind, _) => { if (kind == ResourceKind.Pod) { signal.Notify(); } };

        using var lease = cache.Acquire(ResourceKind.Pod, "a");
        await cache.ReadyAsync(ResourceKind.Pod, "a", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        cache.List(ResourceKind.Pod, "a").Select(p => p["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["one"]);
        cache.Get(ResourceKind.Pod, "b", "two").ShouldBeNull(); // not watched
        await signal.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        api.Put(ResourceKind.Pod, Pod("a", "one", "Running"));
        await Eventually.WaitUntil(() => cache.Get(ResourceKind.Pod, "a", "one")?["status"]?["phase"]?.GetValue<string>() == "Running");
        await signal.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_AllNamespacesHeld_CoversOneNamespaceWithoutAnotherList()
    {
        var api = new FakeKubeApi();
        api.Put(ResourceKind.Pod, Pod("a", "one"));
        api.Put(ResourceKind.Pod, Pod("b", "two"));
        await using var cache = new ClusterCache(api, TimeProvider.System, NullLogger.Instance);

        using var all = cache.Acquire(ResourceKind.Pod, null);
        using var one = cache.Acquire(ResourceKind.Pod, "b");
        await cache.ReadyAsync(ResourceKind.Pod, "b", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        cache.List(ResourceKind.Pod, "b").Select(p => p["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["two"]);
        cache.List(ResourceKind.Pod, null).Count.ShouldBe(2);
        lock (api.Calls)
        {
            api.Calls.Count(c => c == "list pods").ShouldBe(1);
        }
    }

    [Fact]
    public async Task ReadyAsync_KindTheServerDoesNotServe_CompletesEmptyAndSaysWhy()
    {
        var api = new NotServing(new FakeKubeApi(), ResourceKind.CloneSet);
        await using var cache = new ClusterCache(api, TimeProvider.System, NullLogger.Instance);

        using var lease = cache.Acquire(ResourceKind.CloneSet, "default");
        await cache.ReadyAsync(ResourceKind.CloneSet, "default", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        cache.List(ResourceKind.CloneSet, "default").ShouldBeEmpty();
        cache.Problems.Single().Kind.ShouldBe(ResourceKind.CloneSet);
        cache.Problems.Single().Error.Message.ShouldContain("the server could not find the requested resource");
    }

    [Fact]
    public async Task Release_WithoutLinger_StopsWatching()
    {
        var api = new FakeKubeApi();
        api.Put(ResourceKind.Pod, Pod("a", "one"));
        await using var cache = new ClusterCache(api, TimeProvider.System, NullLogger.Instance, linger: TimeSpan.Zero);
        var lease = cache.Acquire(ResourceKind.Pod, "a");
        await cache.ReadyAsync(ResourceKind.Pod, "a", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        lease.Dispose();

        cache.Get(ResourceKind.Pod, "a", "one").ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => cache.ReadyAsync(ResourceKind.Pod, "a", CancellationToken.None)).Message.ShouldContain("Acquire it first");
    }

    /// <summary>An API without one kind installed: its list is a 404, as for a CRD that is not there.</summary>
    private sealed class NotServing(IKubeApi inner, ResourceKind missing) : IKubeApi
    {
        public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) => inner.GetAsync(kind, ns, name, cancellationToken);

        public Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken) =>
            kind == missing
                ? throw new KubeApiException(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource")
                : inner.ListAsync(kind, ns, labelSelector, cancellationToken);

        public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) => inner.CreateAsync(kind, ns, obj, cancellationToken);

        public Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) => inner.ReplaceAsync(kind, ns, obj, cancellationToken);

        public Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) => inner.ReplaceStatusAsync(kind, ns, obj, cancellationToken);

        public Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken) =>
            inner.MergePatchAsync(kind, ns, name, patch, subresource, cancellationToken);

        public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken) =>
            inner.DeleteAsync(kind, ns, name, propagationPolicy, cancellationToken);

        public IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, CancellationToken cancellationToken) =>
            inner.WatchAsync(kind, ns, resourceVersion, cancellationToken);
    }
}
