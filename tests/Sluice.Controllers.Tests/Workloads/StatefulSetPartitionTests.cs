using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Tests.Workloads;

public class StatefulSetPartitionTests
{
    /// <summary>Pods "store-0".."store-N" where each letter says the revision: T on the target hash, S on another.</summary>
    private static List<JsonObject> Pods(string revisions) =>
        revisions.Select((r, i) => new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"store-{i}",
                ["labels"] = new JsonObject { [WorkloadMarks.TemplateHashLabel] = r == 'T' ? "target" : "source" },
            },
        }).ToList();

    public static TheoryData<string, int, int> RequestedCases => new()
    {
        // pods, partition, pods the spec puts on the target
        { "SSSSS", 5, 0 },
        { "SSSSS", 4, 1 },
        { "SSSST", 4, 1 },
        { "SSSTT", 2, 3 },
        { "TTTTS", 5, 4 }, // reverted mid-way: the low ordinals are already on the target and stay there
        { "TTTTS", 4, 5 },
        { "TTSSS", 3, 4 },
    };

    [Theory]
    [MemberData(nameof(RequestedCases))]
    public void Requested_PodsAndPartition_CountsAboveItAndOnTargetBelowIt(string pods, int partition, int expected) =>
        StatefulSetPartition.Requested(Pods(pods), "target", pods.Length, partition).ShouldBe(expected);

    public static TheoryData<string, int, int> ForCases => new()
    {
        // pods, wanted on the target, highest partition that gives it
        { "SSSSS", 1, 4 },
        { "SSSSS", 3, 2 },
        { "SSSSS", 5, 0 },
        { "SSSST", 3, 2 },
        { "TTTTS", 1, 5 },
        { "TTTTS", 4, 5 },
        { "TTTTS", 5, 4 },
        { "TTSSS", 3, 4 },
    };

    [Theory]
    [MemberData(nameof(ForCases))]
    public void For_WantedPods_IsTheHighestPartitionThatGivesThem(string pods, int wanted, int expected)
    {
        var partition = StatefulSetPartition.For(Pods(pods), "target", pods.Length, wanted);

        partition.ShouldBe(expected);
        StatefulSetPartition.Requested(Pods(pods), "target", pods.Length, partition).ShouldBeGreaterThanOrEqualTo(wanted);
    }

    [Fact]
    public void Ordinal_PodIndexLabelOrNameSuffix_IsRead()
    {
        StatefulSetPartition.Ordinal(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "my-store-12" } }).ShouldBe(12);
        StatefulSetPartition.Ordinal(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x", ["labels"] = new JsonObject { ["apps.kubernetes.io/pod-index"] = "3" } } }).ShouldBe(3);
        StatefulSetPartition.Ordinal(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "store" } }).ShouldBeNull();
    }
}
