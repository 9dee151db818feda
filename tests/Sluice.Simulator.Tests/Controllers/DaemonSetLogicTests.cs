using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

public sealed class DaemonSetLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Nodes = ["n0", "n1", "n2"];

    private static JsonObject Ds(string image, JsonObject strategy) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "agent", ["namespace"] = "default", ["uid"] = "d1", ["generation"] = 2 },
        ["spec"] = new JsonObject
        {
            ["updateStrategy"] = strategy,
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "a", ["image"] = image }) } },
        },
    };

    private static JsonObject Rolling(int maxUnavailable, int maxSurge) => new()
    {
        ["type"] = "RollingUpdate",
        ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = maxUnavailable, ["maxSurge"] = maxSurge },
    };

    private static JsonObject Pod(string node, string hash, bool ready = true) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = $"agent-{node}-{hash}",
            ["uid"] = $"{node}-{hash}",
            ["labels"] = new JsonObject { [StatefulSetLogic.RevisionLabel] = hash },
        },
        ["spec"] = new JsonObject { ["nodeName"] = node },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };

    private static string HashOf(JsonObject ds)
    {
        Revisions.ForTemplate(ds, "apps/v1", "DaemonSet", [], 0, out var created);
        return Revisions.Hash(created!);
    }

    [Fact]
    public void Plan_NoPods_CreatesOnePerNodeBound()
    {
        var plan = DaemonSetLogic.Plan(Ds("a:1", Rolling(1, 0)), [], [], Nodes, Now);

        plan.CreatePods.Select(p => Json.Str(p, "spec", "nodeName")).ShouldBe(Nodes);
        plan.CreatePods.ShouldAllBe(p => Json.Label(p, "pod-template-generation") == "2");
    }

    [Fact]
    public void Plan_MaxUnavailable1_DeletesOneOldPod()
    {
        var ds = Ds("a:2", Rolling(1, 0));
        var plan = DaemonSetLogic.Plan(ds, Nodes.Select(n => Pod(n, "old")).ToList(), [], Nodes, Now);

        plan.DeletePods.Count.ShouldBe(1);
        plan.CreatePods.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_OldPodAlreadyUnready_IsReplacedWithoutSpendingBudget()
    {
        var ds = Ds("a:2", Rolling(1, 0));
        var plan = DaemonSetLogic.Plan(ds, [Pod("n0", "old", ready: false), Pod("n1", "old"), Pod("n2", "old")], [], Nodes, Now);

        plan.DeletePods.Select(Json.Name).ShouldBe(["agent-n0-old"], "one node is already unavailable: the budget is spent");
    }

    [Fact]
    public void Plan_MaxSurge1_StartsNewPodBesideOldThenRetiresOld()
    {
        var ds = Ds("a:2", Rolling(0, 1));
        var hash = HashOf(ds);

        var first = DaemonSetLogic.Plan(ds, Nodes.Select(n => Pod(n, "old")).ToList(), [], Nodes, Now);
        first.DeletePods.ShouldBeEmpty();
        Json.Str(first.CreatePods.ShouldHaveSingleItem(), "spec", "nodeName").ShouldBe("n0");

        var second = DaemonSetLogic.Plan(ds, [Pod("n0", "old"), Pod("n0", hash), Pod("n1", "old"), Pod("n2", "old")], [], Nodes, Now);
        second.DeletePods.Select(Json.Name).ShouldBe(["agent-n0-old"]);
        second.CreatePods.ShouldBeEmpty("the surge of 1 is in use");
    }

    [Fact]
    public void Plan_OnDelete_LeavesOldPodsAndFillsEmptyNodeWithNewTemplate()
    {
        var ds = Ds("a:2", new JsonObject { ["type"] = "OnDelete" });
        var plan = DaemonSetLogic.Plan(ds, [Pod("n0", "old"), Pod("n2", "old")], [], Nodes, Now);

        plan.DeletePods.ShouldBeEmpty();
        var created = plan.CreatePods.ShouldHaveSingleItem();
        Json.Str(created, "spec", "nodeName").ShouldBe("n1");
        Json.Label(created, StatefulSetLogic.RevisionLabel).ShouldBe(HashOf(ds));
        Json.Int(plan.Status, -1, "updatedNumberScheduled").ShouldBe(0);
        Json.Int(plan.Status, -1, "currentNumberScheduled").ShouldBe(2);
    }
}
