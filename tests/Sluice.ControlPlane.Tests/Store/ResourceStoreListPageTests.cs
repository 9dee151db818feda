using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Tests.Store;

/// <summary>Chunked and versioned lists: limit/continue consistent at one resourceVersion, Exact and NotOlderThan.</summary>
public sealed class ResourceStoreListPageTests : IDisposable
{
    private static readonly GroupResource ConfigMaps = new("", "configmaps");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sluice-page-" + Guid.NewGuid().ToString("N"));
    private readonly ResourceStore _store;

    public ResourceStoreListPageTests()
    {
        Directory.CreateDirectory(_dir);
        _store = new ResourceStore(Path.Combine(_dir, "store.db"), new FakeTimeProvider(), historyLimit: 50);
        _store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private JsonObject Cm(string name, string value = "1") =>
        _store.Create(ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["v"] = value } });

    private static IEnumerable<string> Names(ObjectPage page) => page.Items.Select(i => i["metadata"]!["name"]!.GetValue<string>());

    [Fact]
    public void ListPage_Limit_ChunksInNameOrderWithRemainingCount()
    {
        foreach (var name in new[] { "e", "a", "d", "c", "b" })
        {
            Cm(name);
        }

        var first = _store.ListPage(ConfigMaps, "default", null, new ListOptions(Limit: 2));
        var second = _store.ListPage(ConfigMaps, "default", null, new ListOptions(Limit: 2, Continue: first.Continue));
        var third = _store.ListPage(ConfigMaps, "default", null, new ListOptions(Limit: 2, Continue: second.Continue));

        Names(first).ShouldBe(["a", "b"]);
        first.RemainingItemCount.ShouldBe(3);
        Names(second).ShouldBe(["c", "d"]);
        Names(third).ShouldBe(["e"]);
        third.Continue.ShouldBeNull();
        second.ResourceVersion.ShouldBe(first.ResourceVersion);
        third.ResourceVersion.ShouldBe(first.ResourceVersion);
    }

    [Fact]
    public void ListPage_ChangesBetweenChunks_LaterChunksShowTheListsVersion()
    {
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            Cm(name);
        }
        var first = _store.ListPage(ConfigMaps, "default", null, new ListOptions(Limit: 2));

        _store.Delete(ConfigMaps, "default", "c");
        _store.Mutate(ConfigMaps, "default", "d", o => { o["data"]!["v"] = "changed"; return o; });
        Cm("bb");
        Cm("z");
        var rest = _store.ListPage(ConfigMaps, "default", null, new ListOptions(Continue: first.Continue));

        // As etcd serves it: the rest of the list as it was when the first chunk was read.
        Names(rest).ShouldBe(["c", "d"]);
        rest.Items[1]["data"]!["v"]!.GetValue<string>().ShouldBe("1");
        rest.ResourceVersion.ShouldBe(first.ResourceVersion);
    }

    [Fact]
    public void ListPage_Exact_ListsThePastAndNotOlderThanTheCurrent()
    {
        Cm("a");
        var at = _store.ResourceVersion;
        Cm("b");
        _store.Delete(ConfigMaps, "default", "a");

        var exact = _store.ListPage(ConfigMaps, "default", null, new ListOptions(ResourceVersion: at.ToString(), ResourceVersionMatch: "Exact"));
        var notOlder = _store.ListPage(ConfigMaps, "default", null, new ListOptions(ResourceVersion: at.ToString()));

        Names(exact).ShouldBe(["a"]);
        exact.ResourceVersion.ShouldBe(at);
        Names(notOlder).ShouldBe(["b"]);
        notOlder.ResourceVersion.ShouldBe(_store.ResourceVersion);
    }

    [Fact]
    public void ListPage_TooOldForTheHistory_Is410()
    {
        Cm("a");
        Cm("b");
        var first = _store.ListPage(ConfigMaps, "default", null, new ListOptions(Limit: 1));
        first.Continue.ShouldNotBeNull();
        var old = first.ResourceVersion;
        for (var i = 0; i < 60; i++)
        {
            _store.Mutate(ConfigMaps, "default", "a", o => { o["data"]!["v"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture); return o; });
        }

        var exact = Should.Throw<ApiException>(() => _store.ListPage(ConfigMaps, "default", null, new ListOptions(ResourceVersion: old.ToString(), ResourceVersionMatch: "Exact")));
        var continued = Should.Throw<ApiException>(() => _store.ListPage(ConfigMaps, "default", null, new ListOptions(Continue: first.Continue)));

        exact.Status.Code.ShouldBe(410);
        exact.Status.Reason.ShouldBe("Expired");
        continued.Status.Code.ShouldBe(410);
        continued.Status.Message.ShouldContain("The provided continue parameter is too old");
    }

    [Theory]
    [InlineData(null, "Exact", null, 400, "resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("0", "Exact", null, 400, "resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("5", "Sometimes", null, 400, "Unsupported value: \"Sometimes\"")]
    [InlineData("abc", null, null, 400, "invalid resource version")]
    [InlineData("999999", null, null, 504, "Too large resource version: 999999")]
    [InlineData(null, null, "not-a-token", 400, "continue key is not valid")]
    [InlineData("5", null, "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mywic3RhcnQiOiJkZWZhdWx0L2EifQ", 400, "specifying resource version is not allowed when using continue")]
    public void ListPage_BadOptions_AreRefusedWithTheApisWords(string? rv, string? match, string? token, int code, string message)
    {
        var error = Should.Throw<ApiException>(() => _store.ListPage(ConfigMaps, "default", null, new ListOptions(0, token, rv, match)));

        error.Status.Code.ShouldBe(code);
        error.Status.Message.ShouldContain(message);
    }

    [Fact]
    public void ListPage_WithASelector_CountsOnlyMatchesPerChunk()
    {
        foreach (var (name, value) in new[] { ("a", "x"), ("b", "y"), ("c", "x"), ("d", "y"), ("e", "x") })
        {
            _store.Create(ConfigMaps, "default", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["k"] = value } },
            });
        }
        var filter = ObjectFilter.Parse("k=x", null);

        var first = _store.ListPage(ConfigMaps, "default", filter, new ListOptions(Limit: 2));
        var second = _store.ListPage(ConfigMaps, "default", filter, new ListOptions(Limit: 2, Continue: first.Continue));

        Names(first).ShouldBe(["a", "c"]);
        first.RemainingItemCount.ShouldBeNull();
        Names(second).ShouldBe(["e"]);
        second.Continue.ShouldBeNull();
    }
}
