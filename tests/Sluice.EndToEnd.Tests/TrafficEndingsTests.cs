using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Canaries through every router at once (HTTPRoute, VirtualService, NGINX Ingress) that end in something other than
/// success: aborted mid-way, rolled back after a batch failed, deleted with <c>revertOnDelete</c>. With healthy pods no
/// request may fail; traffic goes back to the source before any pod does; every route and Service ends as it began.
/// </summary>
public class TrafficEndingsTests(ITestOutputHelper output)
{
    private const string Cookie = "cookie beta=always";

    /// <summary>20% with testers (the cookie) always on v2, then 40% with every request mirrored (<paramref name="secondBatch"/> adds to it), then all.</summary>
    private static string Batches(string secondBatch) => """
              - replicas: 1
                traffic: 20%
                matches: [{cookie: {name: beta, value: always}}]
                pause: {duration: 2s}
              - replicas: 1
                traffic: 40%
                mirror: 100%

        """ + secondBatch + "      - replicas: 3\n";

    private const string HeldUntilPromoted = "        pause: {}\n";

    [Fact]
    public async Task AbortedMidway_TrafficBackBeforeThePodsAndNoRequestFails()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("abort", Routers.All, Rps: 3000, Mix: $"10% {Cookie}");
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);

        // Given a canary held at its second batch (40%, mirrored)
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, Batches(HeldUntilPromoted)));
        await HeldAtSecondBatchAsync(traffic, app);

        // When it is aborted
        await cluster.Kubectl.RunAsync("annotate", "approllout", app.Name, "rollout.sluice.dev/abort=true");

        // Then it fails, back on v1, and the traffic went back before the pods did, with no request failed
        await cluster.WaitForStateAsync("rolloutFailed", app.Name, target: app.Revision(2), timeout: TimeSpan.FromSeconds(90));
        await ThenBackOnV1Async(traffic, app, history, "weights 20/40 + cookie + mirror 100, aborted at 40");
    }

    [Fact]
    public async Task BatchFailedAfterItsTrafficStep_RollsBackWithTrafficFirstAndNoRequestFails()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        using var receiver = new WebhookReceiver { Answer = _ => 500 };
        var app = new RoutedApp("failed", Routers.All, Rps: 3000, Mix: $"10% {Cookie}");
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);

        // When the second batch's post-batch check fails once its 40% (mirrored) is in place
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, Batches($"""
                    pause:
                      duration: 2s
                    batchRolloutWebhooks:
                      - type: post-batch-rollout
                        name: smoke
                        url: "{receiver.Url}smoke"
                        failurePolicy: Fail

            """)));

        // Then the rollout fails at that batch and rolls back: traffic first, then the pods, no request failed
        var failed = await cluster.WaitForStateAsync("rolloutFailed", app.Name, target: app.Revision(2), timeout: TimeSpan.FromSeconds(90));
        failed["status"]!["currentBatch"]!.GetValue<int>().ShouldBe(1);
        (failed["status"]!["conditions"] as JsonArray)!.First(c => c!["type"]!.GetValue<string>() == "RolloutFailed")!["reason"]!.GetValue<string>().ShouldBe("WebhookFailed");
        await ThenBackOnV1Async(traffic, app, history, "weights 20/40 + cookie + mirror 100, batch 2 failed (rollback)");
    }

    [Fact]
    public async Task DeletedMidwayWithRevertOnDelete_TrafficBackBeforeThePodsAndNoRequestFails()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("deleted", Routers.All, Rps: 3000, Mix: $"10% {Cookie}");
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, Batches(HeldUntilPromoted), spec: "  revertOnDelete: true\n"));
        await HeldAtSecondBatchAsync(traffic, app);

        // When the rollout is deleted (kubectl waits for its finalizer)
        await cluster.Kubectl.RunAsync("delete", "approllout", app.Name, "--timeout=85s");

        // Then it is gone, every pod is back on v1, and the traffic went back first with no request failed
        (await cluster.GetAsync(ResourceKind.AppRollout, app.Name)).ShouldBeNull();
        await ThenBackOnV1Async(traffic, app, history, "weights 20/40 + cookie + mirror 100, deleted at 40 (revertOnDelete)");
    }

    /// <summary>Waits until the rollout holds at its second batch (index 1) with its traffic in place, then lets 2000 requests through.</summary>
    private static async Task HeldAtSecondBatchAsync(TrafficCluster traffic, RoutedApp app)
    {
        JsonObject? status = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            status = (await traffic.Cluster.RolloutAsync(app.Name))["status"] as JsonObject;
            return status?["lastTargetAppRevision"]?.GetValue<string>() == app.Revision(2) && status["currentBatch"]?.GetValue<int>() == 1
                && status["batchRollingState"]?.GetValue<string>() == "batchPausing";
        }, TimeSpan.FromSeconds(90), () => $"{app.Name} held at its second batch; status {status?.ToJsonString()}");
        await traffic.SendAsync(app.Population, 2000);
    }

    /// <summary>
    /// Every pod back on v1 and ready; through each router v2's share followed each weight, testers reached v2 while the
    /// cookie matched, the mirror copied everything while on, the weights went 0, 20, 40 and back to 0, and back to 0 before
    /// the CloneSet's template went back to v1; no request failed; every route and the Service ended as they began.
    /// </summary>
    private async Task ThenBackOnV1Async(TrafficCluster traffic, RoutedApp app, RouteHistory history, string scenario)
    {
        var cluster = traffic.Cluster;
        await traffic.WaitForReadyPodsAsync($"rollout.sluice.dev/revision={app.Revision(1)}", RoutedApp.Replicas);
        var since = await traffic.SendAsync(app.Population, 500);
        var report = traffic.Report();
        TrafficFigures.Print(output, report, app.Population, scenario);

        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        RouterInvariants.SharesFollowWeights(report, app, history, app.Revision(2));
        foreach (var router in RouteHistory.Each(app))
        {
            TrafficInvariants.MatchesReachOnly(report, app.Population, Cookie, app.Revision(2), s => history.Applied(app, router, s) is { Matches.Count: > 0 });
        }

        RouterInvariants.MirrorShares(report, app, history, app.Revision(2));
        RouterInvariants.WeightsWentBack(app, history, [0, 20, 40]);
        RouterInvariants.TrafficBackBeforeThePods(app, history, app.Revision(1));
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(1)) == 100);
        cluster.Plane.Store.List(new("", "pods"), "default", Sluice.ControlPlane.Store.ObjectFilter.Parse($"app.oam.dev/component={app.Name}", null)).Items
            .Where(p => p["metadata"]?["deletionTimestamp"] is null)
            .ShouldAllBe(p => p["metadata"]!["labels"]!["rollout.sluice.dev/revision"]!.GetValue<string>() == app.Revision(1));
    }
}
