using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.EndToEnd.Tests.Support;

namespace Sluice.EndToEnd.Tests;

/// <summary>The seed's walkthrough with a StatefulSet-based component (type statefulservice): in place, behind the partition.</summary>
public class StatefulSetRolloutTests
{
    private const string Component = "store";
    private const int Total = 5;
    private const int LargestBatch = 2;

    private static int Partition(JsonObject sts) => sts["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"]?.GetValue<int>() ?? 0;

    private static int Ordinal(JsonObject pod) =>
        int.Parse(pod["metadata"]!["name"]!.GetValue<string>()[(Component.Length + 1)..], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Upgrade_InBatches_MovesPartitionDownAndUpgradesHighestOrdinalsOnly()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var statefulSets = cluster.Record("apps", "statefulsets");
        await using var pods = cluster.Record("", "pods");

        // Given application v1 (a statefulservice of 5 pods) brought up from nothing in batches of 10%, 40%, 50%
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "statefulservice", Walkthrough.V1Image, replicas: Total));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: null, target: 1, "IncreaseFirst", "10%", "40%", "50%"));
        await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        statefulSets.Track(Component, Walkthrough.Replicas).ShouldBe([1, 3, 5]);
        var v1Pods = pods.States[^1].Objects.Values.ToList();
        v1Pods.Count.ShouldBe(Total);
        v1Pods.ShouldAllBe(p => PodFacts.Image(p) == Walkthrough.V1Image && PodFacts.Ready(p));
        var upgradeStartsAt = pods.States[^1].Version;

        // When application v2 changes the image and an AppRollout moves v1 to v2 in batches of 1, 2, 2
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "statefulservice", Walkthrough.V2Image, replicas: Total));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: 1, target: 2, "IncreaseFirst", "1", "2", "2"));

        // Then the rollout succeeds with every pod on v2
        var done = await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(2));
        done["status"]!["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(Total);
        await Sluice.Testing.Eventually.WaitUntil(
            () => pods.States[^1].Objects.Values.Count(p => PodFacts.Ready(p) && PodFacts.Image(p) == Walkthrough.V2Image) == Total,
            TimeSpan.FromSeconds(10), "5 ready v2 pods");

        // And the partition stepped down batch by batch: 1, 3, 5 pods allowed on v2, once the take-over held them all at 0
        statefulSets.Track(Component, s => Walkthrough.TemplateRevision(s) == Walkthrough.Revision(2) ? Total - Partition(s) : -1)
            .Where(u => u >= 0).ShouldBe([1, 3, 5]);

        // And at every moment only pods at or above the partition ran v2 (highest ordinals first), and at most one batch was unavailable
        foreach (var (version, state) in pods.States.Where(s => s.Version > upgradeStartsAt))
        {
            var sts = statefulSets.At(Component, version)!;
            var partition = Walkthrough.TemplateRevision(sts) == Walkthrough.Revision(2) ? Partition(sts) : Total;
            var upgraded = state.Values.Where(p => PodFacts.Image(p) == Walkthrough.V2Image).Select(Ordinal).ToList();
            upgraded.ShouldAllBe(o => o >= partition, $"at resourceVersion {version} the partition was {partition}");
            (Total - state.Values.Count(PodFacts.Ready)).ShouldBeLessThanOrEqualTo(LargestBatch, $"unavailable pods at resourceVersion {version}");
        }
    }
}
