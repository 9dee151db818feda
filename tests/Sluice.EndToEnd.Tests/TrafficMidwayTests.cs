using System.Text.Json.Nodes;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// A routed canary whose target changes mid-way (spec traffic.md: "a changed target"), through every router at once: swapped
/// back to v1 (the emergency move), or rolled forward to a v3. The rollout starts over on the new revisions, taking the routes
/// and Services over from where they stand; no request may fail on the way, every share follows the weight its router held
/// for the revision the canary Service served, and every route and Service ends as it began.
/// </summary>
public class TrafficMidwayTests(ITestOutputHelper output)
{
    private const string Held = """
              - replicas: 1
                traffic: 20%
                pause: {duration: 1s}
              - replicas: 1
                traffic: 40%
                mirror: 100%
                pause: {}
              - replicas: 3
        """;

    private const string Straight = """
              - replicas: 1
                traffic: 20%
                pause: {duration: 1s}
              - replicas: 1
                traffic: 40%
                pause: {duration: 1s}
              - replicas: 3
        """;

    [Fact]
    public async Task SwappedBackToV1AtTheSecondBatch_EndsOnV1WithNoRequestFailed()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("revert", Routers.All, Rps: 3000);
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);
        var v2 = await HeldAtSecondBatchAsync(traffic, app, 2);

        // When source and target are swapped while v2 takes 40%
        await cluster.ApplyYamlAsync(app.RolloutYaml(2, 1, Straight));

        // Then the rollout succeeds back on v1, with every pod there
        var done = await cluster.WaitForStateAsync("rolloutSucceed", app.Name, target: app.Revision(1), timeout: TimeSpan.FromSeconds(120));
        var v1 = done["status"]!["targetGeneration"]!.GetValue<string>();
        await ThenEndsOnAsync(traffic, app, history, 1, new Dictionary<string, string> { [v1] = app.Revision(1), [v2] = app.Revision(2) }, "weights 20/40 + mirror 100, target swapped back to v1 at 40");
    }

    [Fact]
    public async Task RolledForwardToV3AtTheSecondBatch_EndsOnV3WithNoRequestFailed()
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("forward", Routers.All, Rps: 3000);
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);
        var v2 = await HeldAtSecondBatchAsync(traffic, app, 2);

        // When a v3 is made and the rollout now goes from v1 to it, while v2 takes 40%
        await cluster.ApplyYamlAsync(app.AppYaml(3));
        await app.RevisionAsync(cluster, 3);
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 3, Straight));

        // Then the rollout succeeds on v3, with every pod there
        var done = await cluster.WaitForStateAsync("rolloutSucceed", app.Name, target: app.Revision(3), timeout: TimeSpan.FromSeconds(120));
        var v3 = done["status"]!["targetGeneration"]!.GetValue<string>();
        await ThenEndsOnAsync(traffic, app, history, 3, new Dictionary<string, string> { [v3] = app.Revision(3), [v2] = app.Revision(2) }, "weights 20/40 + mirror 100, target changed to v3 at 40");
        // and the v3 rollout took the plan's weights from the start, once every request was back on v1: no pod ran v3 when
        // it took over, so it had no share to start from
        RouterInvariants.WeightsFollowThePlan(app, history, [0, 20, 40, 0, 20, 40, 100]);
        foreach (var router in RouteHistory.Each(app))
        {
            var written = history.WeightSequence(app, router).ToList();
            written.Skip(written.IndexOf(40)).TakeWhile(w => w != 20).ShouldContain(0, $"{router}: every request back on v1 before v3's first weight ({string.Join(", ", written)})");
        }
    }

    /// <summary>Waits until the v1 -> v<paramref name="target"/> rollout (started here) holds at its second batch; returns the target's template hash.</summary>
    private static async Task<string> HeldAtSecondBatchAsync(TrafficCluster traffic, RoutedApp app, int target)
    {
        await traffic.Cluster.ApplyYamlAsync(app.RolloutYaml(1, target, Held));
        JsonObject? status = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            status = (await traffic.Cluster.RolloutAsync(app.Name))["status"] as JsonObject;
            return status?["lastTargetAppRevision"]?.GetValue<string>() == app.Revision(target) && status["currentBatch"]?.GetValue<int>() == 1
                && status["batchRollingState"]?.GetValue<string>() == "batchPausing";
        }, TimeSpan.FromSeconds(90), () => $"{app.Name} held at its second batch; status {status?.ToJsonString()}");
        await traffic.SendAsync(app.Population, 2000);
        return status!["targetGeneration"]!.GetValue<string>();
    }

    /// <summary>
    /// Every pod on <paramref name="version"/> and ready; no request failed; through each router, in every stretch where the
    /// Services were pinned apart, the share of the revision the canary Service served followed the weight the router held;
    /// every route and the Service ended as they began; every request now on <paramref name="version"/>.
    /// </summary>
    private async Task ThenEndsOnAsync(TrafficCluster traffic, RoutedApp app, RouteHistory history, int version, IReadOnlyDictionary<string, string> revisions, string scenario)
    {
        var cluster = traffic.Cluster;
        await traffic.WaitForReadyPodsAsync($"rollout.sluice.dev/revision={app.Revision(version)}", RoutedApp.Replicas);
        var since = await traffic.SendAsync(app.Population, 500);
        var report = traffic.Report();
        TrafficFigures.Print(output, report, app.Population, scenario);

        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        RouterInvariants.CanaryShareFollowsWeights(report, app, history, revisions);
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(version)) == 100);
    }
}
