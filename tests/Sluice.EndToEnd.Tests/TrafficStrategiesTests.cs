using Sluice.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Every strategy (A/B by header, A/B by cookie, weighted canary, mirror) through every router (HTTPRoute, VirtualService,
/// NGINX Ingress) at once, run by the controllers on the embedded plane while simulated clients come in through all three:
/// spec traffic.md's invariants checked per router over the whole recorded history.
/// </summary>
public class TrafficStrategiesTests(ITestOutputHelper output)
{
    private const string Header = "header x-beta=true";
    private const string Cookie = "cookie beta=always";

    [Fact]
    public async Task AbByHeaderAndCookieThenWeightedWithMirror_ThroughEveryRouterAtOnce_EachRouterFollowsThePlanAndFailsNoRequest()
    {
        // Given v1 behind an HTTPRoute, a VirtualService and an NGINX Ingress, its clients sending some requests with a
        // tester header, some with a tester cookie
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var app = new RoutedApp("abw", Routers.All, Rps: 3000, Mix: $"15% {Header}, 15% {Cookie}");
        await using var history = RouteHistory.Start(cluster);
        await app.GivenV1Async(traffic);

        // When testers alone go to v2 (weight 0) for a while, then 30% of everyone with every request mirrored, then all
        await cluster.ApplyYamlAsync(app.RolloutYaml(1, 2, """
                  - replicas: 1
                    traffic: 0%
                    matches:
                      - headers: [{name: x-beta, exact: "true"}]
                      - cookie: {name: beta, value: always}
                    pause: {duration: 3s}
                  - replicas: 1
                    traffic: 30%
                    mirror: 100%
                    pause: {duration: 3s}
                  - replicas: 3
            """));

        // Then it succeeds
        var done = await cluster.WaitForStateAsync("rolloutSucceed", app.Name, target: app.Revision(2), timeout: TimeSpan.FromSeconds(120));
        var since = await traffic.SendAsync(app.Population, 500);
        var report = traffic.Report();
        TrafficFigures.Print(output, report, app.Population, "A/B header + cookie at 0, then 30 + mirror 100, then 100");
        var promoted = RouterInvariants.PinnedTo(history, app, done["status"]!["targetGeneration"]!.GetValue<string>());

        // And through each router: no request failed; testers (either kind) reached only v2 and everyone else only v1 while
        // the matches held at weight 0; v2's share followed each weight; the mirror copied every request; the weights went
        // 0, 30, 100 in order
        TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);
        RouterInvariants.MatchesReachOnly(report, app, history, Header, app.Revision(2), app.Revision(1));
        RouterInvariants.MatchesReachOnly(report, app, history, Cookie, app.Revision(2), app.Revision(1));
        RouterInvariants.SharesFollowWeights(report, app, history, app.Revision(2), until: promoted);
        RouterInvariants.MirrorShares(report, app, history, app.Revision(2));
        RouterInvariants.WeightsFollowThePlan(app, history, [0, 30, 100]);

        // And every route and the Service ended as they began, with every request now on v2
        await RouterInvariants.EndAsTheyBeganAsync(cluster, app, history);
        RouterInvariants.Now(report, app, since).ShouldAllBe(s => s.ShareOf(app.Revision(2)) == 100);
    }
}
