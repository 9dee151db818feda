using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Runtime;

public class InformerTests
{
    private static JsonObject Pod(string name, string phase = "Pending") =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["status"] = new JsonObject { ["phase"] = phase } };

    [Fact]
    public async Task RunAsync_ListsThenWatches_CacheFollowsChanges()
    {
        var api = new FakeKubeApi();
        api.Put(ResourceKind.Pod, Pod("a"));
        var informer = new Informer(api, ResourceKind.Pod, null, TimeProvider.System, NullLogger.Instance);
        var seen = new List<string>();
        informer.Changed += e => { lock (seen) { seen.Add($"{e.Type} {ObjectKey.Of(e.Object)}"); } };
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(5));
        api.Put(ResourceKind.Pod, Pod("b"));
        api.Put(ResourceKind.Pod, Pod("a", "Running"));
        await Eventually.WaitUntil(() => informer.Get("default", "a")?["status"]?["phase"]?.GetValue<string>() == "Running");
        await api.DeleteAsync(ResourceKind.Pod, "default", "b", null, CancellationToken.None);
        await Eventually.WaitUntil(() => informer.Count == 1);

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        lock (seen)
        {
            seen.ShouldBe(["Added default/a", "Added default/b", "Modified default/a", "Deleted default/b"]);
        }
    }

    [Fact]
    public async Task RunAsync_WatchTooOld_ListsAgainAndReportsWhatChangedMeanwhile()
    {
        var api = new FakeKubeApi();
        api.Put(ResourceKind.Pod, Pod("a"));
        api.Put(ResourceKind.Pod, Pod("gone"));
        var informer = new Informer(api, ResourceKind.Pod, null, TimeProvider.System, NullLogger.Instance);
        var seen = new List<string>();
        informer.Changed += e => { lock (seen) { seen.Add($"{e.Type} {ObjectKey.Of(e.Object).Name}"); } };
        using (var first = new CancellationTokenSource())
        {
            var run = informer.RunAsync(first.Token);
            await informer.Synced.WaitAsync(TimeSpan.FromSeconds(5));
            await first.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(5));
        }

        // While the informer is away, things change and the server forgets the history it would resume from.
        api.Put(ResourceKind.Pod, Pod("a", "Running"));
        await api.DeleteAsync(ResourceKind.Pod, "default", "gone", null, CancellationToken.None);
        api.Put(ResourceKind.Pod, Pod("new"));
        api.TrimHistoryAndCloseWatches();
        lock (seen)
        {
            seen.Clear();
        }

        using var second = new CancellationTokenSource();
        var again = informer.RunAsync(second.Token);
        await Eventually.WaitUntil(() => informer.Get("default", "new") is not null && informer.Get("default", "gone") is null);

        informer.Get("default", "a")!["status"]!["phase"]!.GetValue<string>().ShouldBe("Running");
        api.Calls.Count(c => c == "list pods").ShouldBe(2);
        await second.CancelAsync();
        await again.WaitAsync(TimeSpan.FromSeconds(5));
        lock (seen)
        {
            seen.Order().ShouldBe(["Added new", "Deleted gone", "Modified a"]);
        }
    }
}
