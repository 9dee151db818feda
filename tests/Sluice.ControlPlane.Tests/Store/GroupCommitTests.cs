using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Tests.Store;

/// <summary>
/// The store's group committer: concurrent writes share one fsynced transaction, yet each is
/// acknowledged only when durable, published in resourceVersion order, and invisible before.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly GroupResource Pods = new("", "pods");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sluice-commit-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly ManualResetEventSlim _committerEntered = new();
    private readonly ManualResetEventSlim _committerReleased = new(initialState: true);
    private readonly ConcurrentQueue<int> _batchSizes = new();
    private ResourceStore _store;

    public GroupCommitTests()
    {
        Directory.CreateDirectory(_dir);
        _store = Open();
        _store.Create(BuiltInResources.Namespaces, null, Obj("""{"metadata":{"name":"default"}}"""));
    }

    public void Dispose()
    {
        _committerReleased.Set();
        _store.Dispose();
        _committerEntered.Dispose();
        _committerReleased.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Create_ManyConcurrentWriters_AllAcknowledgedAndDurableAfterReopen()
    {
        var acknowledged = new ConcurrentDictionary<string, string>();
        var before = _store.ResourceVersion;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
        {
            for (var i = 0; i < 25; i++)
            {
                var created = _store.Create(Pods, "default", PodJson($"w{w}-{i}"));
                acknowledged[$"w{w}-{i}"] = Rv(created);
            }
        });
        _store.Dispose();
        _store = Open();

        acknowledged.Count.ShouldBe(200);
        acknowledged.Values.Distinct().Count().ShouldBe(200);
        _store.ResourceVersion.ShouldBe(before + 200);
        var stored = _store.List(Pods, "default").Items.ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>(), Rv);
        stored.ShouldBe(acknowledged.ToDictionary(kv => kv.Key, kv => kv.Value), ignoreOrder: true);
        _batchSizes.Sum().ShouldBe(201);
    }

    [Fact]
    public async Task Create_WritesStagedWhileACommitIsUnderWay_ShareTheNextTransaction()
    {
        HoldCommits();
        var first = _store.CreateAsync(Pods, "default", PodJson("first"));
        _committerEntered.Wait(Patience).ShouldBeTrue();

        var rest = Enumerable.Range(0, 10).Select(i => _store.CreateAsync(Pods, "default", PodJson($"p{i}"))).ToList();
        _committerReleased.Set();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Patience);

        _batchSizes.ToArray()[^2..].ShouldBe([1, 10]);
        _store.List(Pods, "default").Items.Count.ShouldBe(11);
    }

    [Fact]
    public async Task Watch_ConcurrentWriters_EventsArriveInResourceVersionOrder()
    {
        using var watch = _store.Watch(Pods, "default", _store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var acknowledged = new ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                acknowledged.Add(long.Parse(Rv(_store.Create(Pods, "default", PodJson($"w{w}-{i}")))));
                acknowledged.Add(long.Parse(Rv(_store.Mutate(Pods, "default", $"w{w}-{i}", p =>
                {
                    p["metadata"]!["labels"] = new JsonObject { ["seen"] = "yes" };
                    return p;
                }))));
            }
        }))).WaitAsync(Patience);
        var seen = new List<long>();
        using var cancel = new CancellationTokenSource(Patience);
        while (seen.Count < 160)
        {
            var e = await watch.Events.ReadAsync(cancel.Token);
            seen.Add(e.ResourceVersion);
            Rv(e.Object).ShouldBe(e.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        seen.ShouldBe(seen.Order().ToList());
        seen.Distinct().Count().ShouldBe(160);
        seen.ShouldBe(acknowledged.Order().ToList());
    }

    [Fact]
    public async Task Update_StaleVersionInTheSameBatch_ConflictsWhileTheOthersCommit()
    {
        var a = _store.Create(Pods, "default", PodJson("a"));
        HoldCommits();
        var held = _store.CreateAsync(Pods, "default", PodJson("held"));
        _committerEntered.Wait(Patience).ShouldBeTrue();

        var fresh = Labelled(a, "writer", "one");
        var stale = Labelled(a, "writer", "two");
        var first = _store.MutateAsync(Pods, "default", "a", _ => fresh);
        var conflicting = _store.MutateAsync(Pods, "default", "a", _ => stale);
        var other = _store.CreateAsync(Pods, "default", PodJson("b"));

        conflicting.IsCompleted.ShouldBeFalse("a 409 decided against a write that is not yet durable waits for it");
        _committerReleased.Set();
        await Task.WhenAll(held, first, other).WaitAsync(Patience);
        var conflict = await Should.ThrowAsync<ApiException>(conflicting.WaitAsync(Patience));

        conflict.Status.Code.ShouldBe(409);
        _store.Get(Pods, "default", "a")["metadata"]!["labels"]!["writer"]!.GetValue<string>().ShouldBe("one");
        _store.Get(Pods, "default", "b").ShouldNotBeNull();
    }

    [Fact]
    public async Task Create_WhileItsCommitIsHeld_IsInvisibleToReadersAndWatchersUntilDurable()
    {
        var before = _store.ResourceVersion;
        using var watch = _store.Watch(Pods, "default", null);
        HoldCommits();

        var create = _store.CreateAsync(Pods, "default", PodJson("x"));
        _committerEntered.Wait(Patience).ShouldBeTrue();

        create.IsCompleted.ShouldBeFalse();
        Should.Throw<ApiException>(() => _store.Get(Pods, "default", "x")).Status.Code.ShouldBe(404);
        _store.List(Pods, "default").Items.ShouldBeEmpty();
        _store.ResourceVersion.ShouldBe(before);
        watch.Events.TryRead(out _).ShouldBeFalse();
        _store.LatestResourceVersion.ShouldBe(before + 1);

        _committerReleased.Set();
        var created = await create.WaitAsync(Patience);
        using var cancel = new CancellationTokenSource(Patience);
        var e = await watch.Events.ReadAsync(cancel.Token);

        e.Type.ShouldBe("ADDED");
        e.ResourceVersion.ShouldBe(before + 1);
        Rv(created).ShouldBe(Rv(_store.Get(Pods, "default", "x")));
        _store.ResourceVersion.ShouldBe(before + 1);
    }

    [Fact]
    public async Task Create_TransactionFails_FailsItAndTheWritesDecidedAfterItAndRollsBack()
    {
        var before = _store.ResourceVersion;
        var failNextBatch = 1;
        _store.BeforeBatchCommit = _ =>
        {
            _committerEntered.Set();
            _committerReleased.Wait(Patience);
            if (Interlocked.Exchange(ref failNextBatch, 0) == 1)
            {
                throw new IOException("injected: the disk is full");
            }
        };
        HoldCommits();
        var doomed = _store.CreateAsync(Pods, "default", PodJson("x"));
        _committerEntered.Wait(Patience).ShouldBeTrue();
        var dependent = _store.MutateAsync(Pods, "default", "x", p =>
        {
            p["metadata"]!["labels"] = new JsonObject { ["on"] = "x" };
            return p;
        });

        _committerReleased.Set();
        var failed = await Should.ThrowAsync<ApiException>(doomed.WaitAsync(Patience));
        var alsoFailed = await Should.ThrowAsync<ApiException>(dependent.WaitAsync(Patience));

        failed.Status.Code.ShouldBe(500);
        alsoFailed.Status.Code.ShouldBe(500);
        Should.Throw<ApiException>(() => _store.Get(Pods, "default", "x")).Status.Code.ShouldBe(404);
        _store.LatestResourceVersion.ShouldBe(before);
        Rv(_store.Create(Pods, "default", PodJson("x"))).ShouldBe($"{before + 1}");
        _store.Dispose();
        _store = Open();
        var pods = _store.List(Pods, "default").Items;
        pods.Count.ShouldBe(1);
        pods[0]["metadata"]!["labels"].ShouldBeNull();
    }

    private ResourceStore Open()
    {
        var store = new ResourceStore(Path.Combine(_dir, "store.db"), _time);
        store.BeforeBatchCommit = size =>
        {
            _batchSizes.Enqueue(size);
            _committerEntered.Set();
            _committerReleased.Wait(Patience);
        };
        return store;
    }

    /// <summary>From now on the committer stops at its next batch until <see cref="_committerReleased"/> is set.</summary>
    private void HoldCommits()
    {
        _committerEntered.Reset();
        _committerReleased.Reset();
    }

    private static JsonObject Labelled(JsonObject obj, string key, string value)
    {
        var copy = obj.DeepClone().AsObject();
        copy["metadata"]!["labels"] = new JsonObject { [key] = value };
        return copy;
    }

    private static string Rv(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    private static JsonObject PodJson(string name) =>
        Obj("""{"metadata":{"name":"NAME"},"spec":{"containers":[{"name":"c"}]}}""".Replace("NAME", name, StringComparison.Ordinal));

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
