using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Tests.Store;

/// <summary>The store without HTTP, as an in-process simulator uses it.</summary>
public sealed class ResourceStoreTests : IDisposable
{
    private static readonly GroupResource Pods = new("", "pods");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sluice-store-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly ResourceStore _store;

    public ResourceStoreTests()
    {
        Directory.CreateDirectory(_dir);
        _store = new ResourceStore(Path.Combine(_dir, "store.db"), _time, historyLimit: 5);
        _store.Create(BuiltInResources.Namespaces, null, Obj("""{"metadata":{"name":"default"}}"""));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private JsonObject Pod(string name) => _store.Create(Pods, "default", Obj("""{"metadata":{"name":"NAME"},"spec":{"containers":[{"name":"c"}]}}""".Replace("NAME", name, StringComparison.Ordinal)));

    [Fact]
    public void Create_Always_SetsIdentityTimeAndAStoreWideVersion()
    {
        var before = _store.ResourceVersion;

        var a = Pod("a");
        var b = Pod("b");

        a["metadata"]!["creationTimestamp"]!.GetValue<string>().ShouldBe("2026-01-02T03:04:05Z");
        a["kind"]!.GetValue<string>().ShouldBe("Pod");
        long.Parse(a["metadata"]!["resourceVersion"]!.GetValue<string>()).ShouldBe(before + 1);
        long.Parse(b["metadata"]!["resourceVersion"]!.GetValue<string>()).ShouldBe(before + 2);
        a["metadata"]!["uid"]!.GetValue<string>().ShouldNotBe(b["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public void Update_StaleVersion_ThrowsConflictAndMutateNeverLosesAnUpdate()
    {
        var stale = Pod("a");
        _store.Mutate(Pods, "default", "a", p => { p["metadata"]!["labels"] = new JsonObject { ["x"] = "1" }; return p; });

        var conflict = Should.Throw<ApiException>(() => _store.Update(Pods, "default", stale));
        Parallel.For(0, 20, i => _store.Mutate(Pods, "default", "a", p =>
        {
            p["metadata"]!["labels"]![$"k{i}"] = "v";
            return p;
        }));

        conflict.Status.Code.ShouldBe(409);
        conflict.Status.Reason.ShouldBe("Conflict");
        _store.Get(Pods, "default", "a")["metadata"]!["labels"]!.AsObject().Count.ShouldBe(21);
    }

    [Fact]
    public async Task Watch_FromAVersion_ReplaysLaterChangesThenFollowsLiveOnes()
    {
        var a = Pod("a");
        var from = a["metadata"]!["resourceVersion"]!.GetValue<string>();
        Pod("b");

        using var watch = _store.Watch(Pods, "default", from);
        _store.Delete(Pods, "default", "a");
        var seen = new List<string>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (seen.Count < 2)
        {
            var e = await watch.Events.ReadAsync(cancel.Token);
            seen.Add($"{e.Type} {e.Object["metadata"]!["name"]}");
        }

        seen.ShouldBe(["ADDED b", "DELETED a"]);
    }

    [Fact]
    public void Watch_OlderThanTheHistory_Throws410Expired()
    {
        var first = Pod("a");
        for (var i = 0; i < 6; i++)
        {
            _store.Mutate(Pods, "default", "a", p => { p["metadata"]!["labels"] = new JsonObject { ["n"] = $"{i}" }; return p; });
        }

        var gone = Should.Throw<ApiException>(() => _store.Watch(Pods, "default", first["metadata"]!["resourceVersion"]!.GetValue<string>()));

        gone.Status.Code.ShouldBe(410);
        gone.Status.Reason.ShouldBe("Expired");
    }

    [Fact]
    public void Delete_WithAFinalizer_MarksThenRemovesWhenTheFinalizerGoes()
    {
        _store.Create(Pods, "default", Obj("""{"metadata":{"name":"held","finalizers":["x/y"]}}"""));
        _time.Advance(TimeSpan.FromSeconds(30));

        var marked = _store.Delete(Pods, "default", "held");
        var removed = _store.Mutate(Pods, "default", "held", p => { p["metadata"]!.AsObject().Remove("finalizers"); return p; });

        marked.Removed.ShouldBeFalse();
        marked.Object["metadata"]!["deletionTimestamp"]!.GetValue<string>().ShouldBe("2026-01-02T03:04:35Z");
        removed["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        Should.Throw<ApiException>(() => _store.Get(Pods, "default", "held")).Status.Code.ShouldBe(404);
    }

    [Fact]
    public void List_WithSelectors_FiltersByLabelsAndFields()
    {
        _store.Create(Pods, "default", Obj("""{"metadata":{"name":"a","labels":{"app":"web","tier":"front"}}}"""));
        _store.Create(Pods, "default", Obj("""{"metadata":{"name":"b","labels":{"app":"web"}}}"""));
        _store.Create(Pods, "default", Obj("""{"metadata":{"name":"c","labels":{"app":"db"}}}"""));

        string Names(string? labels, string? fields) =>
            string.Join(",", _store.List(Pods, "default", ObjectFilter.Parse(labels, fields)).Items.Select(i => i["metadata"]!["name"]!.GetValue<string>()));

        Names("app=web", null).ShouldBe("a,b");
        Names("app in (web,db),!tier", null).ShouldBe("b,c");
        Names("app!=web", null).ShouldBe("c");
        Names(null, "metadata.name=b").ShouldBe("b");
        Names("tier", "metadata.namespace=default").ShouldBe("a");
    }
}
