using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

public sealed class CloneSetLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject Cs(int replicas, JsonNode? partition, string image, string type = "InPlaceIfPossible", string? maxUnavailable = null,
        string env = "a")
    {
        var strategy = new JsonObject { ["type"] = type, ["partition"] = partition };
        if (maxUnavailable is not null)
        {
            strategy["maxUnavailable"] = maxUnavailable;
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "api", ["namespace"] = "default", ["uid"] = "c1", ["generation"] = 1 },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["updateStrategy"] = strategy,
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "app", ["image"] = image,
                            ["env"] = new JsonArray(new JsonObject { ["name"] = "E", ["value"] = env }),
                        }),
                    },
                },
            },
        };
    }

    private static JsonObject Revision(JsonObject cs, long number)
    {
        Revisions.ForTemplate(cs, CloneSetLogic.ApiVersion, "CloneSet", [], 0, out var created);
        created!["revision"] = number;
        return created;
    }

    private static JsonObject Pod(int i, JsonObject revision, bool ready = true)
    {
        var pod = Pods.FromTemplate(Revisions.Template(revision), "default", $"api-{i}", null, new JsonObject(),
            new Dictionary<string, string> { [CloneSetLogic.RevisionLabel] = Json.Name(revision) });
        pod["metadata"]!["uid"] = $"u{i}";
        pod["metadata"]!["resourceVersion"] = "7";
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = Json.Str(pod, "spec", "containers", "0", "image"), ["ready"] = ready }),
        };
        return pod;
    }

    [Theory]
    [InlineData("7", 3)]
    [InlineData("\"30%\"", 7)]
    [InlineData("\"25%\"", 7)]
    [InlineData("0", 10)]
    [InlineData("12", 0)]
    public void Plan_Partition_SetsExpectedUpdatedReplicas(string partition, int expected)
    {
        var plan = CloneSetLogic.Plan(Cs(10, JsonNode.Parse(partition), "api:1"), [], [], Now);
        Json.Int(plan.Status, -1, "expectedUpdatedReplicas").ShouldBe(expected);
    }

    [Fact]
    public void Plan_ImageOnlyChange_UpdatesInPlaceWithinMaxUnavailable()
    {
        var old = Revision(Cs(10, 0, "api:1"), 1);
        var pods = Enumerable.Range(0, 10).Select(i => Pod(i, old)).ToList();
        var cs = Cs(10, 4, "api:2", maxUnavailable: "2");
        cs["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };

        var plan = CloneSetLogic.Plan(cs, pods, [old], Now);

        plan.DeletePods.ShouldBeEmpty();
        plan.CreatePods.ShouldBeEmpty();
        plan.UpdatePods.Count.ShouldBe(2, "maxUnavailable 2 of the 6 to update");
        foreach (var pod in plan.UpdatePods)
        {
            Json.Str(pod, "spec", "containers", "0", "image").ShouldBe("api:2");
            Json.Label(pod, CloneSetLogic.RevisionLabel).ShouldBe(Json.Name(plan.CreateRevision!));
            Json.Uid(pod).ShouldStartWith("u");
            Json.ResourceVersion(pod).ShouldBe("7");
            Json.Annotation(pod, CloneSetLogic.InPlaceStateAnnotation).ShouldContain(Json.Name(old));
        }
    }

    [Fact]
    public void Plan_EnvChangeInPlaceIfPossible_RecreatesInstead()
    {
        var old = Revision(Cs(4, 0, "api:1"), 1);
        var cs = Cs(4, 0, "api:1", env: "b");
        cs["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };

        var plan = CloneSetLogic.Plan(cs, Enumerable.Range(0, 4).Select(i => Pod(i, old)).ToList(), [old], Now);

        plan.UpdatePods.ShouldBeEmpty();
        plan.DeletePods.Count.ShouldBe(1, "20% of 4 rounded up");
    }

    [Fact]
    public void Plan_EnvChangeInPlaceOnly_LeavesPods()
    {
        var old = Revision(Cs(4, 0, "api:1", "InPlaceOnly"), 1);
        var cs = Cs(4, 0, "api:1", "InPlaceOnly", env: "b");
        cs["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };

        var plan = CloneSetLogic.Plan(cs, Enumerable.Range(0, 4).Select(i => Pod(i, old)).ToList(), [old], Now);

        plan.UpdatePods.ShouldBeEmpty();
        plan.DeletePods.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_PodRunningOldImageAfterSpecChange_IsNotUpdatedReady()
    {
        var old = Revision(Cs(1, 0, "api:1"), 1);
        var cs = Cs(1, 0, "api:2");
        var fresh = Revision(cs, 2);
        var pod = Pod(0, old);
        pod["spec"]!["containers"]![0]!["image"] = "api:2";
        pod["metadata"]!["labels"]![CloneSetLogic.RevisionLabel] = Json.Name(fresh);

        var plan = CloneSetLogic.Plan(cs, [pod], [old, fresh], Now);

        Json.Int(plan.Status, -1, "updatedReplicas").ShouldBe(1);
        Json.Int(plan.Status, -1, "updatedReadyReplicas").ShouldBe(0, "the kubelet has not restarted it yet");
    }

    [Fact]
    public void Plan_PartitionRaised_MovesUpdatedPodsBack()
    {
        var old = Revision(Cs(4, 0, "api:1"), 1);
        var cs = Cs(4, 3, "api:2");
        var fresh = Revision(cs, 2);
        cs["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };
        var pods = new List<JsonObject> { Pod(0, old), Pod(1, fresh), Pod(2, fresh), Pod(3, fresh) };

        var plan = CloneSetLogic.Plan(cs, pods, [old, fresh], Now);

        var back = plan.UpdatePods.ShouldHaveSingleItem("maxUnavailable 20% of 4 is 1");
        Json.Label(back, CloneSetLogic.RevisionLabel).ShouldBe(Json.Name(old));
        Json.Str(back, "spec", "containers", "0", "image").ShouldBe("api:1");
    }

    [Fact]
    public void Plan_Paused_UpdatesNothing()
    {
        var old = Revision(Cs(4, 0, "api:1"), 1);
        var cs = Cs(4, 0, "api:2");
        cs["spec"]!["updateStrategy"]!["paused"] = true;
        cs["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };

        var plan = CloneSetLogic.Plan(cs, Enumerable.Range(0, 4).Select(i => Pod(i, old)).ToList(), [old], Now);

        plan.UpdatePods.ShouldBeEmpty();
        plan.DeletePods.ShouldBeEmpty();
        plan.CreatePods.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_ReCreateWithMaxSurge_StartsNewPodsBeforeOldOnesGoAndKeepsAllAvailable()
    {
        var old = Revision(Cs(4, 0, "api:1", "ReCreate"), 1);
        var cs = Cs(4, 0, "api:2", "ReCreate", maxUnavailable: "0");
        cs["spec"]!["updateStrategy"]!["maxSurge"] = 1;
        cs["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };
        var revisions = new List<JsonObject> { old };
        var pods = Enumerable.Range(0, 4).Select(i => Pod(i, old)).ToList();
        var next = 10;

        for (var pass = 0; pass < 40; pass++)
        {
            var plan = CloneSetLogic.Plan(cs, pods, revisions, Now);
            if (plan.CreateRevision is { } created)
            {
                revisions.Add(created);
            }
            foreach (var pod in plan.CreatePods)
            {
                var revision = revisions.Single(r => Json.Name(r) == Json.Label(pod, CloneSetLogic.RevisionLabel));
                pods.Add(Pod(next++, revision, ready: false));
            }
            pods.RemoveAll(p => plan.DeletePods.Any(d => Json.Uid(d) == Json.Uid(p)));
            pods.Count.ShouldBeLessThanOrEqualTo(5, "replicas + maxSurge");
            pods.Count(CloneSetLogic.IsReady).ShouldBeGreaterThanOrEqualTo(4, "maxUnavailable 0");
            pods = pods.Select(p => Pod(int.Parse(Json.Name(p)[4..], System.Globalization.CultureInfo.InvariantCulture),
                revisions.Single(r => Json.Name(r) == Json.Label(p, CloneSetLogic.RevisionLabel)))).ToList();
        }

        pods.Count.ShouldBe(4);
        pods.ShouldAllBe(p => Json.Str(p, "spec", "containers", "0", "image") == "api:2");
    }
}
