using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

public sealed class DeploymentLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject Deployment(int replicas, string? surge, string? unavailable, string type = "RollingUpdate", string image = "nginx:2")
    {
        var rolling = new JsonObject();
        if (surge is not null)
        {
            rolling["maxSurge"] = surge;
        }
        if (unavailable is not null)
        {
            rolling["maxUnavailable"] = unavailable;
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["uid"] = "d1", ["generation"] = 2 },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["strategy"] = new JsonObject { ["type"] = type, ["rollingUpdate"] = rolling },
                ["template"] = Template(image),
            },
        };
    }

    private static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }) },
    };

    private static JsonObject ReplicaSet(string name, string image, int spec, int pods, int available, int revision)
    {
        var template = Template(image);
        template["metadata"]!["labels"]!["pod-template-hash"] = name;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "default",
                ["uid"] = name,
                ["resourceVersion"] = "5",
                ["creationTimestamp"] = Json.Timestamp(Now.AddMinutes(revision)),
                ["annotations"] = new JsonObject
                {
                    [DeploymentLogic.RevisionAnnotation] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [DeploymentLogic.DesiredAnnotation] = "10",
                    [DeploymentLogic.MaxAnnotation] = "13",
                },
            },
            ["spec"] = new JsonObject { ["replicas"] = spec, ["template"] = template },
            ["status"] = new JsonObject { ["replicas"] = pods, ["readyReplicas"] = available, ["availableReplicas"] = available },
        };
    }

    [Theory]
    [InlineData(10, "25%", "25%", 3, 2)]
    [InlineData(10, null, null, 3, 2)]
    [InlineData(1, "25%", "25%", 1, 0)]
    [InlineData(4, "0", "0", 0, 1)]
    [InlineData(10, "0", "100%", 0, 10)]
    [InlineData(5, "2", "1", 2, 1)]
    public void Fenceposts_RollingUpdate_RoundsSurgeUpAndUnavailableDown(int replicas, string? surge, string? unavailable, int expectedSurge, int expectedUnavailable) =>
        DeploymentLogic.Fenceposts(Deployment(replicas, surge, unavailable), replicas).ShouldBe((expectedSurge, expectedUnavailable));

    [Theory]
    [InlineData(10, 3, 10, 0, 0, 3)]
    [InlineData(10, 3, 10, 3, 3, 3)]
    [InlineData(10, 3, 8, 3, 3, 5)]
    [InlineData(10, 3, 0, 8, 8, 10)]
    [InlineData(10, 0, 10, 0, 0, 0)]
    [InlineData(10, 3, 9, 3, 5, 3)]
    [InlineData(10, 3, 8, 3, 4, 4)]
    public void NewReplicas_Table_NeverAsksBeyondReplicasPlusSurge(int replicas, int surge, int oldFootprint, int newSpec, int newFootprint, int expected) =>
        DeploymentLogic.NewReplicas(replicas, surge, oldFootprint, newSpec, newFootprint).ShouldBe(expected);

    [Fact]
    public void Plan_TemplateChanged_CreatesNewReplicaSetAtSurge()
    {
        var plan = DeploymentLogic.Plan(Deployment(10, "25%", "25%"), [ReplicaSet("old", "nginx:1", 10, 10, 10, 1)], Now);

        var created = plan.CreateReplicaSet.ShouldNotBeNull();
        Json.Int(created, -1, "spec", "replicas").ShouldBe(3);
        Json.Annotation(created, DeploymentLogic.RevisionAnnotation).ShouldBe("2");
        var hash = Json.Label(created, DeploymentLogic.HashLabel);
        Json.Name(created).ShouldBe($"web-{hash}");
        Json.Str(created, "spec", "selector", "matchLabels", DeploymentLogic.HashLabel).ShouldBe(hash);
        Json.Str(plan.Status, "conditions", "1", "reason").ShouldBe("NewReplicaSetCreated");
        plan.Revision.ShouldBe("2");
    }

    [Fact]
    public void Plan_OldStillHoldsItsPods_DoesNotGrowNewBeyondSurge()
    {
        var plan = DeploymentLogic.Plan(Deployment(10, "25%", "25%"),
            [ReplicaSet("old", "nginx:1", 8, 10, 10, 1), ReplicaSet("new", "nginx:2", 3, 3, 0, 2)], Now);

        plan.CreateReplicaSet.ShouldBeNull();
        plan.UpdateReplicaSets.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_NewPodsAvailable_ScalesOldDownKeepingMinimumAvailable()
    {
        var plan = DeploymentLogic.Plan(Deployment(10, "25%", "25%"),
            [ReplicaSet("old", "nginx:1", 8, 8, 8, 1), ReplicaSet("new", "nginx:2", 5, 5, 3, 2)], Now);

        var old = plan.UpdateReplicaSets.ShouldHaveSingleItem();
        Json.Name(old).ShouldBe("old");
        // 13 asked for, 8 must stay available, 2 new pods are not yet available: at most 3 old pods go.
        Json.Int(old, -1, "spec", "replicas").ShouldBe(5);
    }

    [Fact]
    public void Plan_Paused_CreatesNothingAndSaysPaused()
    {
        var d = Deployment(10, "25%", "25%");
        d["spec"]!["paused"] = true;

        var plan = DeploymentLogic.Plan(d, [ReplicaSet("old", "nginx:1", 10, 10, 10, 1)], Now);

        plan.CreateReplicaSet.ShouldBeNull();
        plan.UpdateReplicaSets.ShouldBeEmpty();
        Json.Str(Conditions.Find(plan.Status, "Progressing"), "reason").ShouldBe("DeploymentPaused");
    }

    [Fact]
    public void Plan_NoProgressPastDeadline_ReportsProgressDeadlineExceeded()
    {
        var d = Deployment(10, "25%", "25%");
        d["spec"]!["progressDeadlineSeconds"] = 60;
        d["status"] = new JsonObject
        {
            ["replicas"] = 13, ["updatedReplicas"] = 3, ["readyReplicas"] = 10, ["availableReplicas"] = 10,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Progressing", ["status"] = "True", ["reason"] = "ReplicaSetUpdated",
                ["lastUpdateTime"] = Json.Timestamp(Now.AddSeconds(-61)), ["lastTransitionTime"] = Json.Timestamp(Now.AddSeconds(-61)),
            }),
        };

        var plan = DeploymentLogic.Plan(d, [ReplicaSet("old", "nginx:1", 10, 10, 10, 1), ReplicaSet("new", "nginx:2", 3, 3, 0, 2)], Now);

        var progressing = Conditions.Find(plan.Status, "Progressing").ShouldNotBeNull();
        Json.Str(progressing, "status").ShouldBe("False");
        Json.Str(progressing, "reason").ShouldBe("ProgressDeadlineExceeded");
    }

    [Fact]
    public void Plan_Complete_DeletesReplicaSetsBeyondHistoryLimit()
    {
        var d = Deployment(2, "25%", "25%");
        d["spec"]!["revisionHistoryLimit"] = 1;
        var sets = new List<JsonObject>
        {
            ReplicaSet("r1", "nginx:0", 0, 0, 0, 1),
            ReplicaSet("r2", "nginx:1", 0, 0, 0, 2),
            ReplicaSet("r3", "nginx:2", 2, 2, 2, 3),
        };
        foreach (var rs in sets)
        {
            rs["metadata"]!["annotations"]![DeploymentLogic.DesiredAnnotation] = "2";
            rs["metadata"]!["annotations"]![DeploymentLogic.MaxAnnotation] = "3";
        }

        var plan = DeploymentLogic.Plan(d, sets, Now);

        plan.DeleteReplicaSets.Select(Json.Name).ShouldBe(["r1"]);
        Json.Str(Conditions.Find(plan.Status, "Progressing"), "reason").ShouldBe("NewReplicaSetAvailable");
    }
}
