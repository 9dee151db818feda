using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Xunit;
using Sluice.Simulator;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

/// <summary>
/// The CloneSet controller and the kubelet in a random interleaving, for random sizes, partitions and
/// maxUnavailable: an in-place rollout keeps every pod (same uids), never has more pods on the new revision than
/// replicas - partition nor fewer ready than replicas - maxUnavailable, and ends with exactly that many updated and ready.
/// </summary>
public sealed class CloneSetRolloutPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    [Property(MaxTest = 30)]
    public void Rollout_AnyInterleaving_RespectsPartitionAndMaxUnavailable(PositiveInt size, byte partitionSeed, byte unavailableSeed, int seed)
    {
        var replicas = 1 + (size.Get % 12);
        var partition = partitionSeed % (replicas + 1);
        var maxUnavailable = 1 + (unavailableSeed % replicas);
        var random = new Random(seed);
        var cs = JsonNode.Parse($$$$$"""
            {"metadata":{"name":"api","namespace":"default","uid":"c","generation":1},
             "spec":{"replicas":{{{{{replicas}}}}},"updateStrategy":{"type":"InPlaceIfPossible","partition":{{{{{partition}}}}},"maxUnavailable":{{{{{maxUnavailable}}}}}},
              "template":{"spec":{"containers":[{"name":"app","image":"api:1"}]}}}}
            """)!.AsObject();
        var pods = new List<JsonObject>();
        var revisions = new List<JsonObject>();
        var now = T0;
        var next = 0;

        bool Step(Action? check)
        {
            if (random.Next(2) == 0)
            {
                var plan = CloneSetLogic.Plan(cs, pods, revisions, now);
                if (plan.CreateRevision is { } created)
                {
                    revisions.Add(created);
                }
                foreach (var pod in plan.CreatePods)
                {
                    pod["metadata"]!["name"] = "api-" + next.ToString(CultureInfo.InvariantCulture);
                    pod["metadata"]!["uid"] = "u" + next++.ToString(CultureInfo.InvariantCulture);
                    pod["spec"]!["nodeName"] = "n";
                    pods.Add(pod);
                }
                pods.RemoveAll(p => plan.DeletePods.Any(d => Json.Uid(d) == Json.Uid(p)));
                foreach (var updated in plan.UpdatePods)
                {
                    var at = pods.FindIndex(p => Json.Uid(p) == Json.Uid(updated));
                    updated["status"] = pods[at]["status"]?.DeepClone();
                    pods[at] = updated;
                }
                cs["status"] = plan.Status;
            }
            else if (pods.Count > 0)
            {
                var pod = pods[random.Next(pods.Count)];
                if (Kubelet.Step(pod, now, Delay).Status is { } status)
                {
                    pod["status"] = status;
                }
            }
            now += TimeSpan.FromMilliseconds(500);
            check?.Invoke();
            var s = cs["status"];
            return Json.Long(s, "observedGeneration") == Json.Generation(cs)
                && Json.Int(s, -1, "readyReplicas") == replicas
                && Json.Int(s, -1, "updatedReadyReplicas") == Json.Int(s, -2, "expectedUpdatedReplicas")
                && pods.Count(CloneSetLogic.IsReady) == replicas;
        }

        for (var i = 0; i < 5000 && !Step(null); i++)
        {
        }
        var uids = pods.Select(Json.Uid).Order().ToList();
        uids.Count.ShouldBe(replicas);
        cs["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "api:2";
        cs["metadata"]!["generation"] = 2;

        var done = false;
        for (var i = 0; i < 20_000 && !done; i++)
        {
            done = Step(() =>
            {
                var fresh = revisions.Count > 1 ? Json.Name(revisions[^1]) : "";
                pods.Count(p => Json.Label(p, CloneSetLogic.RevisionLabel) == fresh).ShouldBeLessThanOrEqualTo(replicas - partition);
                pods.Count(CloneSetLogic.IsReady).ShouldBeGreaterThanOrEqualTo(replicas - maxUnavailable);
            });
        }

        done.ShouldBeTrue("the rollout settles");
        pods.Select(Json.Uid).Order().ToList().ShouldBe(uids, "in place: the same pods");
        pods.Count(p => Json.Str(p, "spec", "containers", "0", "image") == "api:2").ShouldBe(replicas - partition);
    }
}
