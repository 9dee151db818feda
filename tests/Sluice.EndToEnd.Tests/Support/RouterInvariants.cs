using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Simulator.Traffic;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// spec traffic.md's invariants for one <see cref="RoutedApp"/>, checked for each of its routers (each router's entry has
/// its own segments in the data plane's report, and its own object history): what <see cref="TrafficInvariants"/> checks
/// for one route, applied to every router the app's clients come in through.
/// </summary>
public static class RouterInvariants
{
    /// <summary>The target's share of plain requests followed every weight each router held (0 before its pods were ready), until <paramref name="until"/> (a Service resourceVersion).</summary>
    public static void SharesFollowWeights(TrafficReport report, RoutedApp app, RouteHistory history, string target, long until = long.MaxValue)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            var weight = history.Weight(app, router);
            TrafficInvariants.ShareFollowsWeights(report, app.Population, target,
                s => s.Versions.GetValueOrDefault($"Service default/{app.Name}") < until ? weight(s) : null);
        }
    }

    /// <summary>
    /// Through each router, wherever the stable and canary Services were pinned to different revisions, the share of the
    /// revision the canary Service served (<paramref name="revisions"/>: template hash to revision) followed the weight the
    /// router held: for rollouts whose target changes mid-way, where the canary Service serves one revision, then another.
    /// </summary>
    public static void CanaryShareFollowsWeights(TrafficReport report, RoutedApp app, RouteHistory history, IReadOnlyDictionary<string, string> revisions)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            var weight = history.Weight(app, router);
            foreach (var (hash, revision) in revisions)
            {
                TrafficInvariants.ShareFollowsWeights(report, app.Population, revision,
                    s => history.Pins(app, s) is { } pins && pins.Stable != pins.Canary && pins.Canary == hash ? weight(s) : null);
            }
        }
    }

    /// <summary>While a router held matches at weight 0, requests of <paramref name="matching"/> reached only the target, and plain ones only the source.</summary>
    public static void MatchesReachOnly(TrafficReport report, RoutedApp app, RouteHistory history, string matching, string target, string source)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            TrafficInvariants.MatchesReachOnly(report, app.Population, matching, target,
                s => history.Applied(app, router, s) is { Weight: 0, Matches.Count: > 0 }, source);
        }
    }

    /// <summary>While a router mirrored, the target received that share of copies, and no client saw a copy's answer.</summary>
    public static void MirrorShares(TrafficReport report, RoutedApp app, RouteHistory history, string target)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            TrafficInvariants.MirrorShare(report, app.Population, target, history.Mirror(app, router));
        }
    }

    /// <summary>Every weight each router held is one the plan asked for, in order.</summary>
    public static void WeightsFollowThePlan(RoutedApp app, RouteHistory history, IReadOnlyList<int> plan)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            var written = history.WeightSequence(app, router);
            written.ShouldNotBeEmpty($"{router} of {app.Name} was never steered");
            TrafficInvariants.WeightsFollowThePlan(written, plan);
        }
    }

    /// <summary>Each router held exactly the weights of <paramref name="plan"/> up to where the rollout stopped, then went back to 0.</summary>
    public static void WeightsWentBack(RoutedApp app, RouteHistory history, IReadOnlyList<int> plan)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            history.WeightSequence(app, router).ShouldBe([.. plan, 0], $"the weights {router} of {app.Name} held");
        }
    }

    /// <summary>
    /// Each router sent everything back to the source (weight 0, no match, no mirror) before the CloneSet's template went
    /// back to <paramref name="source"/>: spec traffic.md's "traffic goes back to 100% source first".
    /// </summary>
    public static void TrafficBackBeforeThePods(RoutedApp app, RouteHistory history, string source)
    {
        var cloneSets = history.CloneSets.States;
        var leftSource = cloneSets.First(s => s.Objects.TryGetValue(app.Name, out var c) && Revision(c) is { } r && r != source).Version;
        var reverted = cloneSets.First(s => s.Version > leftSource && s.Objects.TryGetValue(app.Name, out var c) && Revision(c) == source).Version;
        foreach (var router in RouteHistory.Each(app))
        {
            var states = history.History(router).States;
            var steered = states.First(s => s.Version > leftSource && history.SendsToTarget(app, router, s.Objects)).Version;
            var back = states.FirstOrDefault(s => s.Version > steered && !history.SendsToTarget(app, router, s.Objects)).Version;
            back.ShouldBeGreaterThan(0, $"{router} of {app.Name} never stopped sending to the target");
            back.ShouldBeLessThan(reverted, $"{router} of {app.Name} stopped sending to the target (at {back}) only after the CloneSet went back to {source} (at {reverted})");
        }
    }

    private static string? Revision(JsonObject workload) => workload["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>();

    /// <summary>
    /// Every route and the Service ended exactly as they began (spec and annotations; the Service's selector and annotations),
    /// and what the rollout created (canary Service, canary Ingress) is gone.
    /// </summary>
    public static async Task EndAsTheyBeganAsync(TestCluster cluster, RoutedApp app, RouteHistory history)
    {
        foreach (var router in RouteHistory.Each(app))
        {
            TrafficInvariants.EndsAsItBegan(history.History(router), app.Name, r => new JsonArray(r["spec"]?.DeepClone(), r["metadata"]?["annotations"]?.DeepClone()));
        }

        TrafficInvariants.EndsAsItBegan(history.Services, app.Name, s => new JsonArray(s["spec"]?.DeepClone(), s["metadata"]?["annotations"]?.DeepClone(), s["metadata"]?["labels"]?.DeepClone()));
        (await cluster.GetAsync(ResourceKind.Service, app.Canary)).ShouldBeNull($"the canary Service of {app.Name} is still there");
        (await cluster.GetAsync(Sluice.Controllers.Traffic.TrafficKinds.Ingress, app.Canary)).ShouldBeNull($"the canary Ingress of {app.Name} is still there");
    }

    /// <summary>
    /// The segments that carried the app's requests after <paramref name="since"/> (what <see cref="TrafficCluster.SendAsync"/>
    /// returns): where its requests go now, through every entry. Never empty (an entry used only before, such as the Service
    /// straight while the routes were being applied, is not "now").
    /// </summary>
    public static IReadOnlyList<TrafficSegment> Now(TrafficReport report, RoutedApp app, DateTimeOffset since)
    {
        var now = report.Population("default", app.Name)!.Segments.Where(s => s.To > since && s.Counts.Sent > 0).ToList();
        foreach (var router in RouteHistory.Each(app))
        {
            now.ShouldContain(s => s.Entry == RouteHistory.Entry(app, router), $"no request of {app.Name} came in through its {router} since {since:HH:mm:ss.fff}");
        }

        return now;
    }

    /// <summary>The resourceVersion at which the app's Service first selected <paramref name="hash"/> (the stable Service promoted), or long.MaxValue.</summary>
    public static long PinnedTo(RouteHistory history, RoutedApp app, string hash) =>
        history.Services.States.FirstOrDefault(s => s.Objects.TryGetValue(app.Name, out var svc)
            && svc["spec"]?["selector"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>() == hash).Version is var version and > 0 ? version : long.MaxValue;
}
