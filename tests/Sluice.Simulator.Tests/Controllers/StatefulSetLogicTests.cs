using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

public sealed class StatefulSetLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject Sts(int replicas, int partition, string image, string policy = "OrderedReady") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = "default", ["uid"] = "s1", ["generation"] = 1 },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["podManagementPolicy"] = policy,
            ["updateStrategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = partition } },
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "db", ["image"] = image }) } },
        },
    };

    private static JsonObject Pod(int ordinal, string revision, bool ready) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = $"db-{ordinal}",
            ["uid"] = $"p{ordinal}",
            ["labels"] = new JsonObject { [StatefulSetLogic.RevisionLabel] = revision },
        },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };

    /// <summary>The revision of <paramref name="sts"/>'s template, as a stored ControllerRevision.</summary>
    private static JsonObject Revision(JsonObject sts, long number)
    {
        Revisions.ForTemplate(sts, "apps/v1", "StatefulSet", [], 0, out var created);
        created!["revision"] = number;
        return created;
    }

    [Fact]
    public void Plan_Empty_CreatesOrdinalZeroOnly()
    {
        var plan = StatefulSetLogic.Plan(Sts(3, 0, "pg:16"), [], [], Now);

        plan.CreatePods.Select(Json.Name).ShouldBe(["db-0"]);
        plan.CreateRevision.ShouldNotBeNull();
        Json.Label(plan.CreatePods[0], StatefulSetLogic.RevisionLabel).ShouldBe(Json.Name(plan.CreateRevision));
    }

    [Fact]
    public void Plan_Parallel_CreatesAllMissingAtOnce()
    {
        var plan = StatefulSetLogic.Plan(Sts(3, 0, "pg:16", "Parallel"), [], [], Now);
        plan.CreatePods.Select(Json.Name).ShouldBe(["db-0", "db-1", "db-2"]);
    }

    [Fact]
    public void Plan_OrderedReadyWithUnreadyPod_Waits()
    {
        var old = Revision(Sts(3, 0, "pg:16"), 1);
        var plan = StatefulSetLogic.Plan(Sts(3, 0, "pg:16"), [Pod(0, Json.Name(old), false)], [old], Now);
        plan.CreatePods.ShouldBeEmpty();
        plan.DeletePods.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_NewTemplateWithPartition_DeletesHighestOrdinalAboveIt()
    {
        var old = Revision(Sts(4, 2, "pg:16"), 1);
        var pods = Enumerable.Range(0, 4).Select(i => Pod(i, Json.Name(old), true)).ToList();

        var plan = StatefulSetLogic.Plan(Sts(4, 2, "pg:17"), pods, [old], Now);

        plan.DeletePods.Select(Json.Name).ShouldBe(["db-3"]);
        Json.Str(plan.Status, "currentRevision").ShouldBe(Json.Name(old));
        Json.Str(plan.Status, "updateRevision").ShouldBe(Json.Name(plan.CreateRevision!));
    }

    [Fact]
    public void Plan_UpdatedUpToPartition_LeavesLowerOrdinals()
    {
        var oldSts = Sts(4, 2, "pg:16");
        var old = Revision(oldSts, 1);
        var fresh = Revision(Sts(4, 2, "pg:17"), 2);
        var pods = new List<JsonObject> { Pod(0, Json.Name(old), true), Pod(1, Json.Name(old), true), Pod(2, Json.Name(fresh), true), Pod(3, Json.Name(fresh), true) };
        var sts = Sts(4, 2, "pg:17");
        sts["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };

        var plan = StatefulSetLogic.Plan(sts, pods, [old, fresh], Now);

        plan.DeletePods.ShouldBeEmpty();
        plan.CreatePods.ShouldBeEmpty();
        Json.Int(plan.Status, -1, "updatedReplicas").ShouldBe(2);
        Json.Int(plan.Status, -1, "currentReplicas").ShouldBe(2);
    }

    [Fact]
    public void Plan_MissingPodBelowPartition_IsRecreatedOnCurrentRevision()
    {
        var old = Revision(Sts(3, 2, "pg:16"), 1);
        var sts = Sts(3, 2, "pg:17");
        sts["status"] = new JsonObject { ["currentRevision"] = Json.Name(old) };
        var fresh = Revision(sts, 2);

        var plan = StatefulSetLogic.Plan(sts, [Pod(1, Json.Name(old), true), Pod(2, Json.Name(fresh), true)], [old, fresh], Now);

        var created = plan.CreatePods.ShouldHaveSingleItem();
        Json.Name(created).ShouldBe("db-0");
        Json.Label(created, StatefulSetLogic.RevisionLabel).ShouldBe(Json.Name(old));
        Json.Str(created, "spec", "containers", "0", "image").ShouldBe("pg:16");
    }
}
