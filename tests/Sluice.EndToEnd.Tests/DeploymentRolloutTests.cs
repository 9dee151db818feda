using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// The seed's walkthrough with a Deployment-based component (type worker): one Deployment per revision, the
/// target grown and the source shrunk batch by batch in the order of the rollout strategy.
/// </summary>
public class DeploymentRolloutTests
{
    private const string Component = "api";
    private const string Source = Component + "-v1";
    private const string Target = Component + "-v2";
    private const int Total = 5;
    private const int LargestBatch = 2;

    [Fact]
    public async Task Upgrade_IncreaseFirst_GrowsTargetBeforeShrinkingSourceAndDeletesSource()
    {
        var (deployments, pods, upgradeStartsAt) = await WalkAsync("IncreaseFirst");

        // Then each batch grew the target to its batch target first, then shrank the source to what is left
        ReplicaSteps(deployments, upgradeStartsAt).ShouldBe([(0, 5), (1, 5), (1, 4), (3, 4), (3, 2), (5, 2), (5, 0), (5, -1)]);

        // And the source shrank only once the target's pods were ready
        AssertEachMoveWaited(deployments, upgradeStartsAt, moved: Source, waitedFor: Target, d => Status(d, "readyReplicas") >= Walkthrough.Replicas(d));

        // And at no moment were fewer than total minus one batch pods ready, or more than total plus one batch pods around
        AssertPods(pods, upgradeStartsAt, minReady: Total - LargestBatch, maxPods: Total + LargestBatch);
    }

    [Fact]
    public async Task Upgrade_DecreaseFirst_ShrinksSourceBeforeGrowingTargetAndDeletesSource()
    {
        var (deployments, pods, upgradeStartsAt) = await WalkAsync("DecreaseFirst");

        // Then each batch shrank the source to what is left first, then grew the target to its batch target
        ReplicaSteps(deployments, upgradeStartsAt).ShouldBe([(0, 5), (0, 4), (1, 4), (1, 2), (3, 2), (3, 0), (5, 0), (5, -1)]);

        // And the target grew only once the source's pods were gone
        AssertEachMoveWaited(deployments, upgradeStartsAt, moved: Target, waitedFor: Source, d => Status(d, "replicas") <= Walkthrough.Replicas(d));

        // And at no moment were fewer than total minus one batch pods ready, or more pods around than the total
        AssertPods(pods, upgradeStartsAt, minReady: Total - LargestBatch, maxPods: Total);
    }

    /// <summary>Runs the walkthrough; returns the recorded histories and the store version the upgrade started after.</summary>
    private static async Task<(ObjectHistory Deployments, ObjectHistory Pods, long UpgradeStartsAt)> WalkAsync(string strategy)
    {
        await using var cluster = await TestCluster.StartAsync();
        var deployments = cluster.Record("apps", "deployments");
        var pods = cluster.Record("", "pods");
        await using var _ = deployments;
        await using var __ = pods;

        // Given application v1 (a worker of 5 pods) brought up from nothing by an AppRollout in batches of 10%, 40%, 50%
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "worker", Walkthrough.V1Image, replicas: Total));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: null, target: 1, strategy, "10%", "40%", "50%"));
        var first = await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        first["status"]!["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(Total);
        deployments.Track(Source, Walkthrough.Replicas).ShouldBe([0, 1, 3, 5]);
        var upgradeStartsAt = pods.States[^1].Version;

        // When application v2 changes the image and an AppRollout moves v1 to v2 in batches of 1, 2, 2
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "worker", Walkthrough.V2Image, replicas: Total));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: 1, target: 2, strategy, "1", "2", "2"));

        // Then the rollout succeeds with every pod on v2, and the source Deployment is gone
        var second = await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(2));
        second["status"]!["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(Total);
        (await cluster.GetAsync(ResourceKind.Deployment, Source)).ShouldBeNull();
        await Sluice.Testing.Eventually.WaitUntil(
            () => pods.States[^1].Objects.Values.Count(p => PodFacts.Ready(p) && PodFacts.Image(p) == Walkthrough.V2Image) == Total
                && pods.States[^1].Objects.Count == Total,
            TimeSpan.FromSeconds(10), "5 ready v2 pods and no other");
        return (deployments, pods, upgradeStartsAt);
    }

    /// <summary>(target spec.replicas, source spec.replicas) as they changed after <paramref name="from"/>; -1 = no such Deployment.</summary>
    private static List<(int Target, int Source)> ReplicaSteps(ObjectHistory deployments, long from)
    {
        var steps = new List<(int, int)>();
        foreach (var (_, state) in deployments.States.Where(s => s.Version > from && s.Objects.ContainsKey(Target)))
        {
            var step = (Walkthrough.Replicas(state.GetValueOrDefault(Target)), Walkthrough.Replicas(state.GetValueOrDefault(Source)));
            if (steps.Count == 0 || steps[^1] != step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private static int Status(JsonObject deployment, string field) => deployment["status"]?[field]?.GetValue<int>() ?? 0;

    /// <summary>Every time <paramref name="moved"/>'s spec.replicas changed, <paramref name="waitedFor"/> (as last seen) had done what it was asked.</summary>
    private static void AssertEachMoveWaited(ObjectHistory deployments, long from, string moved, string waitedFor, Func<JsonObject, bool> done)
    {
        JsonObject? previous = null;
        var moves = 0;
        foreach (var (version, state) in deployments.States.Where(s => s.Version > from && s.Objects.ContainsKey(Target)))
        {
            var current = state.GetValueOrDefault(moved);
            if (previous is not null && current is not null && Walkthrough.Replicas(current) != Walkthrough.Replicas(previous)
                && state.GetValueOrDefault(waitedFor) is { } other)
            {
                moves++;
                done(other).ShouldBeTrue($"{moved} went from {Walkthrough.Replicas(previous)} to {Walkthrough.Replicas(current)} at resourceVersion {version} while {waitedFor} was {other["spec"]?.ToJsonString()} {other["status"]?.ToJsonString()}");
            }

            previous = current ?? previous;
        }

        moves.ShouldBeGreaterThan(0);
    }

    private static void AssertPods(ObjectHistory pods, long from, int minReady, int maxPods)
    {
        foreach (var (version, state) in pods.States.Where(s => s.Version > from))
        {
            var ours = state.Values.Where(p => PodFacts.OwnedBy(p, Source + "-") || PodFacts.OwnedBy(p, Target + "-")).ToList();
            ours.Count(PodFacts.Ready).ShouldBeGreaterThanOrEqualTo(minReady, $"ready pods at resourceVersion {version}");
            ours.Count.ShouldBeLessThanOrEqualTo(maxPods, $"pods at resourceVersion {version}");
        }
    }
}
