using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Tests.Workloads;

public class CloneSetAdapterTests
{
    private const string Ns = "default";

    private readonly FakeKubeApi api = new();
    private readonly CloneSetAdapter adapter;

    public CloneSetAdapterTests() => adapter = new CloneSetAdapter(new WorkloadPatcher(api), new ApiPodIndex(api));

    [Fact]
    public async Task Apply_TakeOverOfNothingThenFirstBatch_CreatesItOnceAtTheBatchSize()
    {
        var target = Target(RolloutMode.Scale, originalSize: 0);

        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Scale, 0, 5), new SetTarget(2)], CancellationToken.None);

        api.Calls.Count(c => !c.StartsWith("get", StringComparison.Ordinal)).ShouldBe(1);
        var created = api.Peek(ResourceKind.CloneSet, Ns, "web")!;
        JsonPath.Int(created, "spec.replicas").ShouldBe(2);
        WorkloadMarks.HeldBy(created, target).ShouldBeTrue();
        JsonPath.Annotation(created, WorkloadMarks.Revision).ShouldBe("app-v2");
    }

    [Fact]
    public async Task Apply_TakeOverAndFirstBatchOfAnUpgrade_IsOnePatchThatNeverHoldsEveryPodBack()
    {
        api.Put(ResourceKind.CloneSet, Existing(replicas: 5, revision: "app-v1"));
        var target = Target(RolloutMode.Upgrade, originalSize: 5);

        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5), new SetTarget(1)], CancellationToken.None);

        api.Calls.Where(c => !c.StartsWith("get", StringComparison.Ordinal) && !c.StartsWith("list", StringComparison.Ordinal)).ShouldBe(["patch clonesets web"]);
        var patched = api.Peek(ResourceKind.CloneSet, Ns, "web")!;
        JsonPath.Int(patched, "spec.updateStrategy.partition").ShouldBe(4);
        JsonPath.Annotation(patched, WorkloadMarks.Revision).ShouldBe("app-v2");
    }

    [Fact]
    public async Task Apply_TakeOverWithPodsAlreadyOnTheTarget_HoldsThemThereInsteadOfMovingThemBack()
    {
        // Given a CloneSet on app-v1's template (a rollout to v1 was reverted mid-way) with 4 of its 5 pods on app-v2
        var cloneSet = api.Put(ResourceKind.CloneSet, Existing(replicas: 5, revision: "app-v1"));
        var uid = JsonPath.String(cloneSet, "metadata.uid")!;
        for (var i = 0; i < 5; i++)
        {
            api.Put(ResourceKind.Pod, Pod($"web-{i}", uid, i < 4 ? "hash-app-v2" : "hash-app-v1"));
        }

        // When the rollout to app-v2 takes it over and asks for its first batch (1 pod)
        await adapter.ApplyAsync(Target(RolloutMode.Upgrade, originalSize: 5), [new PrepareWorkload(RolloutMode.Upgrade, 5, 5), new SetTarget(1)], CancellationToken.None);

        // Then the 4 pods on app-v2 count toward the batch: partition 1, nothing moves back to app-v1
        JsonPath.Int(api.Peek(ResourceKind.CloneSet, Ns, "web")!, "spec.updateStrategy.partition").ShouldBe(1);
    }

    [Fact]
    public async Task Apply_TakeOver_OwnsItByTheApplicationAndCarriesTheRevisionsLabels()
    {
        api.Put(ResourceKind.CloneSet, Existing(replicas: 5, revision: "app-v1"));
        var target = Target(RolloutMode.Upgrade, originalSize: 5) with
        {
            Application = new Sluice.Core.Api.OwnerReference { ApiVersion = "core.oam.dev/v1beta1", Kind = "Application", Name = "app", Uid = "app-uid" },
        };

        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5)], CancellationToken.None);
        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5)], CancellationToken.None);

        var patched = api.Peek(ResourceKind.CloneSet, Ns, "web")!;
        var owners = (JsonPath.Get(patched, "metadata.ownerReferences") as JsonArray)!;
        owners.Count.ShouldBe(1);
        JsonPath.String(owners[0], "uid").ShouldBe("app-uid");
        JsonPath.Get(owners[0], "controller")!.GetValue<bool>().ShouldBeTrue();
        (JsonPath.Get(patched, "metadata.labels") as JsonObject)!["app.oam.dev/appRevision"]!.GetValue<string>().ShouldBe("app-v2");
    }

    [Fact]
    public async Task Apply_IntentsAlreadyInPlace_WriteNothing()
    {
        api.Put(ResourceKind.CloneSet, Existing(replicas: 5, revision: "app-v1"));
        var target = Target(RolloutMode.Upgrade, originalSize: 5);
        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5), new SetTarget(1)], CancellationToken.None);
        api.Calls.Clear();

        await adapter.ApplyAsync(target, [new SetTarget(1)], CancellationToken.None);

        api.Calls.ShouldAllBe(c => c.StartsWith("get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_ToNothingWithoutATakeOver_CreatesNothing()
    {
        await adapter.ApplyAsync(Target(RolloutMode.Scale, originalSize: 0), [new SetTarget(2)], CancellationToken.None);

        api.Peek(ResourceKind.CloneSet, Ns, "web").ShouldBeNull();
    }

    /// <summary>
    /// The rollout goes app-v1 -> app-v2; the CloneSet has 5 pods, <paramref name="updated"/> of them on its template's
    /// revision. On app-v3's (a rollout to v3 redirected mid-way) none of them is on app-v2: not the ones off the
    /// template, which are app-v1's. On app-v1's (a rollout app-v2 -> app-v1 swapped back mid-way) the ones off it are.
    /// </summary>
    [Theory]
    [InlineData("app-v3", 2, 2, 5, 0, 0, 5, 5)]
    [InlineData("app-v1", 2, 2, 4, 3, 2, 2, 2)]
    public void Snapshot_TemplateOfAnotherRevision_CountsOnTheTargetOnlyPodsThatCanBeTheTargets(
        string template, int updated, int updatedReady, int ready, int targetPods, int targetReady, int sourcePods, int sourceReady)
    {
        var cloneSet = Existing(replicas: 5, revision: template);
        cloneSet["status"] = new JsonObject
        {
            ["replicas"] = 5,
            ["readyReplicas"] = ready,
            ["updatedReplicas"] = updated,
            ["updatedReadyReplicas"] = updatedReady,
        };

        var snapshot = CloneSetAdapter.Snapshot(cloneSet, Target(RolloutMode.Upgrade, originalSize: 5));

        (snapshot.TargetPods, snapshot.TargetReady, snapshot.SourcePods, snapshot.SourceReady).ShouldBe((targetPods, targetReady, sourcePods, sourceReady));
        snapshot.Prepared.ShouldBeFalse();
    }

    private static JsonObject Existing(int replicas, string revision) => new()
    {
        ["apiVersion"] = "apps.kruise.io/v1alpha1",
        ["kind"] = "CloneSet",
        ["metadata"] = new JsonObject
        {
            ["name"] = "web",
            ["namespace"] = Ns,
            ["annotations"] = new JsonObject { [WorkloadMarks.Revision] = revision },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["updateStrategy"] = new JsonObject { ["type"] = "InPlaceIfPossible" },
            ["template"] = Template("nginx:1"),
        },
    };

    private static JsonObject Pod(string name, string ownerUid, string hash) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Ns,
            ["labels"] = new JsonObject { [WorkloadMarks.TemplateHashLabel] = hash },
            ["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = ownerUid, ["kind"] = "CloneSet", ["name"] = "web" }),
        },
    };

    private static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
    };

    private static RolloutTarget Target(RolloutMode mode, int originalSize)
    {
        static WorkloadReference Revision(string name, string image) => new("apps.kruise.io/v1alpha1", "CloneSet", Ns, "web", name, "hash-" + name, new JsonObject
        {
            ["apiVersion"] = "apps.kruise.io/v1alpha1",
            ["kind"] = "CloneSet",
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app.oam.dev/appRevision"] = name } },
            ["spec"] = new JsonObject { ["replicas"] = 5, ["template"] = Template(image) },
        });

        var source = mode == RolloutMode.Upgrade ? Revision("app-v1", "nginx:1") : null;
        return new RolloutTarget(Ns, "rollout", "uid-1", Revision("app-v2", "nginx:2"), source, mode, originalSize, 5);
    }
}
