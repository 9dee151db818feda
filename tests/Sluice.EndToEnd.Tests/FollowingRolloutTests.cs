using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Hands-free rollouts: an AppRollout that follows the seed's Application (<c>spec.follow.application</c>) rolls every
/// new revision as it appears, with its plan. Changes made faster than a rollout finishes abandon it for the newest; a bad
/// revision fails, rolls back, is marked and not retried, and the next good change rolls out. The CloneSet's history,
/// recorded from the store, says what each revision was asked for.
/// </summary>
public class FollowingRolloutTests
{
    private const string App = "test-rolling";
    private const string Component = "metrics-provider";
    private const string Rollout = "follower";
    private const int Total = 5;

    private static readonly string[] Images = ["stefanprodan/podinfo:5.0.0", "stefanprodan/podinfo:5.0.1", "stefanprodan/podinfo:5.0.2"];

    private const string Following = """
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: follower
        spec:
          follow:
            application: test-rolling
          componentList:
            - metrics-provider
          rolloutPlan:
            rolloutStrategy: IncreaseFirst
            progressDeadlineSeconds: 10
            rolloutBatches:
              - replicas: 1
              - replicas: 2
              - replicas: 2
        """;

    /// <summary>The seed's application at <paramref name="image"/>; its pods never become ready when <paramref name="bad"/>.</summary>
    private static string Application(string image, bool bad = false) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {App}
          annotations:
            "app.oam.dev/rolling-components": "{Component}"
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: {Component}
              type: clonesetservice
              properties:
                cmd: ["./podinfo", "stress-cpu=1"]
                image: {image}
                port: 8080
                updateStrategyType: InPlaceIfPossible
                replicas: {Total}
        {(bad ? "        annotations:\n          sim.sluice.dev/fault: never-ready\n" : "")}
        """;

    private static string? TemplateRevision(JsonObject cloneSet) => cloneSet["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>();

    private static int Replicas(JsonObject cloneSet) => cloneSet["spec"]?["replicas"]?.GetValue<int>() ?? 0;

    private static int Partition(JsonObject cloneSet) => cloneSet["spec"]?["updateStrategy"]?["partition"]?.GetValue<int>() ?? 0;

    /// <summary>The pods the CloneSet asked to run <paramref name="revision"/> over time (replicas - partition while its template was that revision).</summary>
    private static List<int> Asked(ObjectHistory cloneSets, string revision) =>
        [.. cloneSets.Track(Component, c => TemplateRevision(c) == revision ? Replicas(c) - Partition(c) : -1).Where(u => u > 0)];

    [Fact]
    public async Task Follow_ImageChangedThreeTimesQuicklyThenABadOneThenAGoodOne_EndsOnTheLastGoodImageWithEveryRolloutAsPlanned()
    {
        // Pods slow enough (1-2 s) that a rollout is still under way when the next change lands
        await using var cluster = await TestCluster.StartAsync(podReadyDelay: "1s..2s");
        await using var cloneSets = cluster.Record("apps.kruise.io", "clonesets");
        await using var rollouts = cluster.Record("core.oam.dev", "approllouts");
        await using var pods = cluster.Record("", "pods");
        var sluice = new SluiceCommand(cluster.Plane.KubeconfigPath);

        // Given the seed's v1 Application, unchanged, and an AppRollout that follows it (it names no revision)
        await cluster.ApplyAsync(RepoPaths.Seed("01-application-v1.yaml"));
        await cluster.ApplyYamlAsync(Following);

        // Then it rolls v1 up from nothing in the plan's batches
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, $"{App}-v1");
        cloneSets.Track(Component, Replicas).Where(r => r > 0).ShouldBe([1, 3, 5]);

        // When the image is changed once, and twice more quickly while that rollout is under way
        (await sluice.OkAsync("set", "image", App, $"{Component}={Images[0]}")).ShouldContain($"application/{App} image updated: {Component}={Images[0]} (was stefanprodan/podinfo:4.0.6)");
        JsonNode? status = null;
        await Eventually.WaitUntilAsync(async () => (status = (await cluster.RolloutAsync(Rollout))["status"]) is { } s
                && s["lastTargetAppRevision"]?.GetValue<string>() == $"{App}-v2" && s["rollingState"]?.GetValue<string>() == "rollingInBatches",
            TimeSpan.FromSeconds(60), () => $"the rollout of v2 under way; status {status?.ToJsonString()}");
        await SetImageAsync(cluster, Images[1]);
        await SetImageAsync(cluster, Images[2]);

        // Then the rollout ends on the revision of the last image, every pod there and ready
        var last = await LatestRevisionAsync(cluster, Images[2]);
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, last, TimeSpan.FromSeconds(90));
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => PodFacts.Image(p) == Images[2] && PodFacts.Ready(p)) == Total, TimeSpan.FromSeconds(30), "every pod on the last image and ready");

        // And every intermediate rollout either finished or was abandoned cleanly (never failing), having asked its
        // revision for the plan (finished) or a prefix of it (abandoned); v2 was abandoned mid-way
        var targets = rollouts.Track(Rollout, r => r["status"]?["lastTargetAppRevision"]?.GetValue<string>()).OfType<string>().Distinct().ToList();
        targets.First().ShouldBe($"{App}-v1");
        targets.Last().ShouldBe(last);
        var states = rollouts.Track(Rollout, r => $"{r["status"]?["rollingState"]} {r["status"]?["lastTargetAppRevision"]}");
        states.ShouldNotContain(st => st.StartsWith("rolloutFailing", StringComparison.Ordinal) || st.StartsWith("rolloutFailed", StringComparison.Ordinal));
        var redirects = await EventsAsync(cluster, "FollowingRevision");
        var serving = $"{App}-v1";
        foreach (var intermediate in targets.Skip(1).SkipLast(1))
        {
            var asked = Asked(cloneSets, intermediate);
            if (states.Contains($"rolloutSucceed {intermediate}"))
            {
                asked.ShouldBe([1, 3, 5], $"{intermediate} finished: pods asked over time");
                serving = intermediate;
                continue;
            }

            redirects.ShouldContain(m => m.Contains($"(abandoning {intermediate} mid-way)", StringComparison.Ordinal), $"{intermediate} neither finished nor was abandoned: {string.Join("; ", states)}");
            asked.ShouldBe(new[] { 1, 3, 5 }.Take(asked.Count), $"{intermediate} abandoned: pods asked over time");
            asked.Count.ShouldBeLessThan(3, $"{intermediate} was abandoned before its last batch");
        }

        redirects.ShouldContain(m => m.Contains($"(abandoning {App}-v2 mid-way)", StringComparison.Ordinal), string.Join("; ", redirects));
        (await EventsAsync(cluster, "RolloutAbandoned")).ShouldNotBeEmpty();
        Asked(cloneSets, last).ShouldBe([1, 3, 5], $"{last}: pods asked over time");
        (await cluster.RolloutAsync(Rollout))["spec"]!["sourceAppRevisionName"]!.GetValue<string>().ShouldBe(serving, "the last rollout started from the revision serving then");

        // When a bad image (pods never ready) is applied
        await cluster.ApplyYamlAsync(Application("stefanprodan/podinfo:6.0.0-bad", bad: true));
        var bad = await LatestRevisionAsync(cluster, "stefanprodan/podinfo:6.0.0-bad");

        // Then its rollout fails at the first batch and rolls back: every pod on the last good image and ready
        await cluster.WaitForStateAsync("rolloutFailed", Rollout, bad, TimeSpan.FromSeconds(90));
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => PodFacts.Image(p) == Images[2] && PodFacts.Ready(p)) == Total, TimeSpan.FromSeconds(30), "every pod back on the last good image");
        TemplateRevision((await cluster.GetAsync(ResourceKind.CloneSet, Component))!).ShouldBe(last);
        Asked(cloneSets, bad).ShouldBe([1]);

        // And the bad revision is marked, and not retried while the Application stays as it is
        JsonObject? revision = null;
        await Eventually.WaitUntilAsync(async () => (revision = await cluster.GetAsync(ResourceKind.ApplicationRevision, bad))?["metadata"]?["annotations"]?["rollout.sluice.dev/rollout-failed"] is not null,
            TimeSpan.FromSeconds(30), () => $"{bad} marked failed: {revision?["metadata"]?.ToJsonString()}");
        revision!["metadata"]!["annotations"]!["rollout.sluice.dev/rollout-failed"]!.GetValue<string>().ShouldBe($"{Rollout}: ProgressDeadlineExceeded");
        var held = await cluster.RolloutAsync(Rollout);
        held["status"]!["rollingState"]!.GetValue<string>().ShouldBe("rolloutFailed");
        held["spec"]!["targetAppRevisionName"]!.GetValue<string>().ShouldBe(bad);

        // When the next good change comes
        await cluster.ApplyYamlAsync(Application("stefanprodan/podinfo:6.0.1"));
        var good = await LatestRevisionAsync(cluster, "stefanprodan/podinfo:6.0.1");

        // Then it rolls out from the revision serving, in the planned batches
        var recovered = await cluster.WaitForStateAsync("rolloutSucceed", Rollout, good, TimeSpan.FromSeconds(90));
        recovered["spec"]!["sourceAppRevisionName"]!.GetValue<string>().ShouldBe(last);
        Asked(cloneSets, good).ShouldBe([1, 3, 5]);
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => PodFacts.Image(p) == "stefanprodan/podinfo:6.0.1" && PodFacts.Ready(p)) == Total, TimeSpan.FromSeconds(30), "every pod on 6.0.1");
    }

    [Fact]
    public async Task SetImage_UnknownComponentOrApplication_IsRefusedNamingItAndChangesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(controllers: false);
        var sluice = new SluiceCommand(cluster.Plane.KubeconfigPath);
        await cluster.ApplyAsync(RepoPaths.Seed("01-application-v1.yaml"));
        var before = (await cluster.GetAsync(ResourceKind.Application, App))!["metadata"]!["resourceVersion"]!.GetValue<string>();

        var (code, _, stderr) = await sluice.RunAsync("set", "image", App, "web=nginx:1.27");
        code.ShouldBe(4);
        stderr.ShouldBe($"error: Application \"{App}\" has no component \"web\" in spec.components (it has: {Component})\n");

        (code, _, stderr) = await sluice.RunAsync("set", "image", "nope", $"{Component}=nginx:1.27");
        code.ShouldBe(4);
        stderr.ShouldBe("error: application/nope not found in namespace default\n");

        (code, _, stderr) = await sluice.RunAsync("set", "image", App, Component);
        code.ShouldBe(1);
        stderr.ShouldBe($"error: \"{Component}\" is not COMPONENT=IMAGE (for example web=nginx:1.27)\n");

        (await cluster.GetAsync(ResourceKind.Application, App))!["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(before);
    }

    /// <summary>
    /// What <c>sluice set image</c> does, through the API at once (no process to start): the change lands mid-rollout.
    /// Written with the resourceVersion read, read again on a 409 (the controller writes the Application's status meanwhile).
    /// </summary>
    private static async Task SetImageAsync(TestCluster cluster, string image)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = (await cluster.GetAsync(ResourceKind.Application, App))!;
            var change = Core.Operations.ImageChange.Apply(app, [(Component, image)]);
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = app["metadata"]!["resourceVersion"]!.GetValue<string>() },
                ["spec"] = new JsonObject { ["components"] = change.Components },
            };
            try
            {
                await cluster.Api.MergePatchAsync(ResourceKind.Application, "default", App, patch, null, CancellationToken.None);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 10)
            {
            }
        }
    }

    /// <summary>The name of the Application's revision whose component runs <paramref name="image"/>, once it exists.</summary>
    private static async Task<string> LatestRevisionAsync(TestCluster cluster, string image)
    {
        string? found = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            var list = await cluster.Api.ListAsync(ResourceKind.ApplicationRevision, "default", $"app.oam.dev/name={App}", CancellationToken.None);
            found = (list["items"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(r => r["spec"]?["components"]?[0]?["workload"]?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() == image)
                .Select(r => r["metadata"]!["name"]!.GetValue<string>())
                .FirstOrDefault();
            return found is not null;
        }, TimeSpan.FromSeconds(30), () => $"a revision of {App} with {image}");
        return found!;
    }

    private static async Task<List<string>> EventsAsync(TestCluster cluster, string reason)
    {
        var list = await cluster.Api.ListAsync(ResourceKind.Event, "default", null, CancellationToken.None);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == Rollout && e["reason"]?.GetValue<string>() == reason)
            .Select(e => e["message"]!.GetValue<string>())];
    }

    private static List<JsonObject> LivePods(ObjectHistory pods) =>
        [.. pods.States[^1].Objects.Values.Where(p => p["metadata"]?["deletionTimestamp"] is null && PodFacts.OwnedBy(p, Component + "-"))];
}
