using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Blue/green of a CloneSet whose clients come in through an HTTPRoute, a VirtualService and an NGINX Ingress at once, all
/// sending to the active Service (BlueGreenRolloutTests covers clients straight to the Service and an abort after the
/// switch): no request fails, no client reaches the target before the one switch, the switch comes after every target pod
/// is ready, the source stays up for the delay, and every route and Service ends as it began. Also aborted before the
/// switch: no client ever reaches the target; and redirected to a v3, before the switch (no client ever reaches v2) or
/// after it (clients stay on v2 until v3's switch, and no other revision is left running).
/// </summary>
public class TrafficBlueGreenTests(ITestOutputHelper output)
{
    private const int DelaySeconds = 4;

    [Fact]
    public async Task BlueGreen_ThroughEveryRouter_SwitchesOnceAfterFullReadinessKeepsTheSourceForTheDelayAndFailsNoRequest()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("bg", Routers.All, Rps: 2000);
        await using var history = RouteHistory.Start(cluster);
        await using var pods = cluster.Record("", "pods");
        await app.GivenV1Async(traffic);
        var v1 = (await cluster.RolloutAsync(app.Name))["status"]!["targetGeneration"]!.GetValue<string>();

        // When v2 is rolled out blue/green (up beside v1 in batches of 1 and 4, switched at once when ready)
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, "      - replicas: 1\n      - replicas: 4",
            plan: $"    blueGreen: {{activeService: {app.Name}, scaleDownDelaySeconds: {DelaySeconds}}}\n", routed: false));

        // Then once the active Service is seen switched, v1's pods stay ready for the delay (a lower bound, observed late)
        await PinAsync(cluster, app, hash => hash is not null && hash != v1);
        var sinceSwitch = Stopwatch.StartNew();
        await traffic.WaitForReadyPodsAsync($"rollout.sluice.dev/revision={app.Revision(1)}", RoutedApp.Replicas);
        await Eventually.WaitUntil(() => ReadyOf(pods.States[^1].Objects.Values, app.Revision(1)) < RoutedApp.Replicas, TimeSpan.FromSeconds(60), "v1 scaled down");
        sinceSwitch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(DelaySeconds - 1), "v1 went down before scaleDownDelaySeconds had passed since the switch");

        var done = await cluster.WaitForStateAsync("rolloutSucceed", app.Name, target: app.Revision(2), timeout: TimeSpan.FromSeconds(120));
        var since = await traffic.SendAsync(app.Population, 500);
        var report = traffic.Report();
        TrafficFigures.Print(output, report, app.Population, "blue/green, promoted");
        var v2 = done["status"]!["targetGeneration"]!.GetValue<string>();

        // And no request failed; the active Service switched once, v1 to v2
        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        history.Services.Track(app.Name, Pinned).Where(p => p is not null).Distinct().ShouldBe([v1, v2], "the active Service's pins, in order");
        var switchedAt = RouterInvariants.PinnedTo(history, app, v2);

        // And at the switch all 5 v2 pods were ready and all 5 v1 pods too
        var atSwitch = pods.States.Last(s => s.Version <= switchedAt).Objects.Values.ToList();
        ReadyOf(atSwitch, app.Revision(2)).ShouldBe(RoutedApp.Replicas, "v2 pods ready at the switch");
        ReadyOf(atSwitch, app.Revision(1)).ShouldBe(RoutedApp.Replicas, "v1 pods ready at the switch");

        // And through every router, no client reached v2 before the switch, and every one does now
        BeforeTheSwitchOnlyTheSource(report, app, switchedAt);
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(2)) == 100);

        // And the routes and the Service end as they began; the preview Service is gone
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);
        (await cluster.GetAsync(Sluice.Controllers.Kube.ResourceKind.Service, app.Name + "-preview")).ShouldBeNull();
    }

    [Fact]
    public async Task BlueGreen_AbortedBeforeTheSwitch_NoClientEverReachesTheTargetAndEverythingEndsAsItBegan()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("bgabort", Routers.All, Rps: 2000);
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);

        // Given a blue/green rollout waiting for its switch (autoPromotionSeconds far away), v2 fully up beside v1
        await V2BlueGreenUntilAsync(traffic, app, "autoPromotionSeconds: 600", "promoting");

        // When it is aborted
        await cluster.Kubectl.RunAsync("annotate", "approllout", app.Name, "rollout.sluice.dev/abort=true");
        await cluster.WaitForStateAsync("rolloutFailed", app.Name, target: app.Revision(2), timeout: TimeSpan.FromSeconds(90));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(Sluice.Controllers.Kube.ResourceKind.Service, app.Name + "-preview") is null,
            TimeSpan.FromSeconds(30), () => "the preview Service gone");
        var since = await traffic.SendAsync(app.Population, 500);
        var report = traffic.Report();
        TrafficFigures.Print(output, report, app.Population, "blue/green, aborted before the switch");

        // Then no request failed, no client ever reached v2, and every route and Service ends as it began
        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        BeforeTheSwitchOnlyTheSource(report, app, long.MaxValue);
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(1)) == 100);
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);
    }

    [Fact]
    public async Task BlueGreen_RedirectedToV3BeforeTheSwitch_SwitchesOnceFromV1ToV3AndNoClientEverReachesV2()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("bgredirect", Routers.All, Rps: 2000);
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);
        var v1 = (await cluster.RolloutAsync(app.Name))["status"]!["targetGeneration"]!.GetValue<string>();

        // Given a blue/green rollout of v2 waiting for its switch, v2 fully up beside v1
        await V2BlueGreenUntilAsync(traffic, app, "autoPromotionSeconds: 600", "promoting");

        // When a v3 is made and the rollout now goes from v1 to it, switched as soon as it is ready; then it succeeds on v3
        var (v3, since, report) = await RedirectedToV3Async(traffic, app, source: 1, "blue/green, redirected to v3 before the switch");

        // And no request failed; the active Service switched once, from v1 to v3; no client reached v2 at any time
        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        history.Services.Track(app.Name, Pinned).Where(p => p is not null).Distinct().ShouldBe([v1, v3], "the active Service's pins, in order");
        var switchedAt = RouterInvariants.PinnedTo(history, app, v3);
        BeforeTheSwitchOnlyTheSource(report, app, switchedAt);
        report.Population("default", app.Name)!.Segments.ShouldAllBe(s => s.ShareOf(app.Revision(2)) == 0, "no client reached v2");
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(3)) == 100);
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);
    }

    [Fact]
    public async Task BlueGreen_RedirectedFromV2ToV3AfterTheSwitch_SwitchesOnToV3AndLeavesNoOtherRevisionRunning()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("bgafter", Routers.All, Rps: 2000);
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);
        var v1 = (await cluster.RolloutAsync(app.Name))["status"]!["targetGeneration"]!.GetValue<string>();

        // Given a blue/green rollout of v2 switched, keeping v1 up for its scale-down delay
        var v2 = await V2BlueGreenUntilAsync(traffic, app, "scaleDownDelaySeconds: 600", "scalingDownSource");

        // When a v3 is made and the rollout now goes from v2, which clients use, to it; then it succeeds on v3
        var (v3, since, report) = await RedirectedToV3Async(traffic, app, source: 2, "blue/green, redirected to v3 after the switch");

        // And no request failed; the active Service went v1, v2, v3 and never back
        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        history.Services.Track(app.Name, Pinned).ShouldBe([null, v1, v2, v3, null], "the active Service's pins, in order, never let go of on the way until put back at the end");
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(3)) == 100);
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);

        // And v1's CloneSet (the one named after the component, v1's before the first blue/green) went with v2's: only v3's is left
        (await cluster.Kubectl.RunAsync("get", "clonesets", "-o", "name")).Trim().ShouldBe($"cloneset.apps.kruise.io/{app.Name}-v3");
    }

    private const string Batches = "      - replicas: 1\n      - replicas: 4";

    private static string BlueGreenPlan(RoutedApp app, string fields) => $"    blueGreen: {{activeService: {app.Name}, {fields}}}\n";

    /// <summary>
    /// Rolls v2 out blue/green beside v1 (batches of 1 and 4, <paramref name="fields"/> added to the plan) until the rollout
    /// is in <paramref name="state"/> with every v2 pod ready, then has clients send a while; returns v2's template hash.
    /// </summary>
    private static async Task<string> V2BlueGreenUntilAsync(TrafficCluster traffic, RoutedApp app, string fields, string state)
    {
        var cluster = traffic.Cluster;
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, Batches, plan: BlueGreenPlan(app, fields), routed: false));
        await Eventually.WaitUntilAsync(async () => (await cluster.RolloutAsync(app.Name))["status"]?["rollingState"]?.GetValue<string>() == state,
            TimeSpan.FromSeconds(90), () => $"{app.Name} in {state}");
        await traffic.WaitForReadyPodsAsync($"rollout.sluice.dev/revision={app.Revision(2)}", RoutedApp.Replicas);
        await traffic.SendAsync(app.Population, 1000);
        return (await cluster.RolloutAsync(app.Name))["status"]!["targetGeneration"]!.GetValue<string>();
    }

    /// <summary>
    /// Makes a v3 and points the rollout at <paramref name="source"/> -> v3 (switched as soon as it is ready), waits until it
    /// succeeded with every v3 pod ready and clients sent a while more; returns v3's template hash, when that last stretch
    /// began, and the data plane's report.
    /// </summary>
    private async Task<(string V3, DateTimeOffset Since, Sluice.Simulator.Traffic.TrafficReport Report)> RedirectedToV3Async(
        TrafficCluster traffic, RoutedApp app, int source, string scenario)
    {
        var cluster = traffic.Cluster;
        await cluster.ApplyYamlAsync(app.AppYaml(3));
        await app.RevisionAsync(cluster, 3);
        await cluster.ApplyYamlAsync(app.RolloutYaml(source, 3, Batches, plan: BlueGreenPlan(app, "scaleDownDelaySeconds: 1"), routed: false));
        var done = await cluster.WaitForStateAsync("rolloutSucceed", app.Name, target: app.Revision(3), timeout: TimeSpan.FromSeconds(120));
        await traffic.WaitForReadyPodsAsync($"rollout.sluice.dev/revision={app.Revision(3)}", RoutedApp.Replicas);
        var since = await traffic.SendAsync(app.Population, 500);
        var report = traffic.Report();
        TrafficFigures.Print(output, report, app.Population, scenario);
        return (done["status"]!["targetGeneration"]!.GetValue<string>(), since, report);
    }

    /// <summary>Every segment of every entry configured with the active Service before <paramref name="switchedAt"/> reached v1 only.</summary>
    private static void BeforeTheSwitchOnlyTheSource(Sluice.Simulator.Traffic.TrafficReport report, RoutedApp app, long switchedAt)
    {
        var before = report.Population("default", app.Name)!.Segments
            .Where(s => s.Counts.Sent > 0 && s.Versions.TryGetValue($"Service default/{app.Name}", out var version) && version < switchedAt).ToList();
        foreach (var router in RouteHistory.Each(app))
        {
            before.ShouldContain(s => s.Entry == RouteHistory.Entry(app, router), $"no request came through the {router} before the switch");
        }

        before.ShouldAllBe(s => s.ShareOf(app.Revision(1)) == 100, "clients reached only v1 before the switch");
    }

    private static string? Pinned(JsonObject service) => service["spec"]?["selector"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>();

    private static int ReadyOf(IEnumerable<JsonObject> pods, string revision) =>
        pods.Count(p => p["metadata"]?["labels"]?["rollout.sluice.dev/revision"]?.GetValue<string>() == revision && p["metadata"]?["deletionTimestamp"] is null && PodFacts.Ready(p));

    /// <summary>Polls the active Service until its pin satisfies <paramref name="wanted"/>; returns it.</summary>
    private static async Task<string?> PinAsync(TestCluster cluster, RoutedApp app, Func<string?, bool> wanted)
    {
        string? pin = null;
        await Eventually.WaitUntilAsync(async () => wanted(pin = Pinned((await cluster.GetAsync(Sluice.Controllers.Kube.ResourceKind.Service, app.Name))!)),
            TimeSpan.FromSeconds(120), () => $"the active Service of {app.Name} pinned as wanted; it is {pin}");
        return pin;
    }
}
