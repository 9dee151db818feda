using System.Text.Json.Nodes;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Http;

/// <summary>The watch wire protocol: newline-delimited events over one streaming response.</summary>
public sealed class ApiHandlerWatchTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private static async Task<List<JsonObject>> ReadEventsAsync(StreamReader reader, Func<List<JsonObject>, bool> enough)
    {
        var events = new List<JsonObject>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!enough(events) && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            events.Add(JsonNode.Parse(line)!.AsObject());
        }
        return events;
    }

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    [Fact]
    public async Task Watch_WithBookmarksAllowed_SendsBookmarksAtTheCurrentVersion()
    {
        var ns = plane.Fresh("bookmarks");
        using var http = plane.Http();
        var rv = plane.Plane.Store.ResourceVersion;

        using var response = await http.GetAsync(
            $"/api/v1/namespaces/{ns}/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = await ReadEventsAsync(reader, e => e.Any(x => Type(x) == "BOOKMARK"));

        var bookmark = events.First(e => Type(e) == "BOOKMARK")["object"]!;
        bookmark["kind"]!.GetValue<string>().ShouldBe("ConfigMap");
        bookmark["apiVersion"]!.GetValue<string>().ShouldBe("v1");
        long.Parse(bookmark["metadata"]!["resourceVersion"]!.GetValue<string>()).ShouldBeGreaterThanOrEqualTo(rv);
    }

    [Fact]
    public async Task Watch_WithALabelSelector_SeesObjectsEnterAndLeaveTheSelection()
    {
        var ns = plane.Fresh("selector");
        using var http = plane.Http();
        using var response = await http.GetAsync(
            $"/api/v1/namespaces/{ns}/configmaps?watch=1&labelSelector=tier%3Dfront", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var store = plane.Plane.Store;
        var configMaps = new Sluice.ControlPlane.Resources.GroupResource("", "configmaps");

        store.Create(configMaps, ns, JsonNode.Parse("""{"metadata":{"name":"other","labels":{"tier":"back"}}}""")!.AsObject());
        store.Create(configMaps, ns, JsonNode.Parse("""{"metadata":{"name":"web","labels":{"tier":"back"}}}""")!.AsObject());
        store.Mutate(configMaps, ns, "web", o => { o["metadata"]!["labels"]!["tier"] = "front"; return o; });
        store.Mutate(configMaps, ns, "web", o => { o["data"] = new JsonObject { ["k"] = "v" }; return o; });
        store.Mutate(configMaps, ns, "web", o => { o["metadata"]!["labels"]!["tier"] = "back"; return o; });
        var events = await ReadEventsAsync(reader, e => e.Count == 3);

        events.Select(e => $"{Type(e)} {e["object"]!["metadata"]!["name"]}").ShouldBe(["ADDED web", "MODIFIED web", "DELETED web"]);
    }

    [Fact]
    public async Task Watch_AsTable_StreamsRowsWithTheCustomColumns()
    {
        var ns = plane.Fresh("tablewatch");
        using var http = plane.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/core.oam.dev/v1beta1/namespaces/{ns}/approllouts?watch=true");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        plane.Plane.Store.Create(new("core.oam.dev", "approllouts"), ns, JsonNode.Parse("""
            {"metadata":{"name":"r"},"spec":{"targetAppRevisionName":"app-v3","rolloutPlan":{"rolloutBatches":[{"replicas":1}]}}}
            """)!.AsObject());
        var events = await ReadEventsAsync(reader, e => e.Count == 1);

        var table = events[0]["object"]!;
        table["kind"]!.GetValue<string>().ShouldBe("Table");
        table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())
            .ShouldBe(["Name", "TARGET", "UPGRADED", "READY", "BATCH-STATE", "ROLLING-STATE", "AGE"]);
        table["rows"]![0]!["cells"]![1]!.GetValue<string>().ShouldBe("app-v3");
    }
}
