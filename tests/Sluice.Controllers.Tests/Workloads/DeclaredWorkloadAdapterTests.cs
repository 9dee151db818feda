using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Workloads;

/// <summary>The generic in-place adapter, driven by the Widget example (partition counted from the bottom) and OpenKruise's Advanced StatefulSet (by ordinal).</summary>
public class DeclaredWorkloadAdapterTests
{
    private const string Ns = "default";

    private readonly FakeKubeApi api = new();

    private static WorkloadDeclaration Declaration(string path)
    {
        var (declaration, problem) = WorkloadDeclaration.Parse(YamlJson.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, path))).OfType<JsonObject>().Single(o => o["kind"]?.GetValue<string>() is "WorkloadKind" or "CustomResourceDefinition"));
        problem.ShouldBeNull();
        return declaration!;
    }

    private static readonly WorkloadDeclaration Widget = Declaration("examples/custom-kind/02-workloadkind.yaml");
    private static readonly WorkloadDeclaration AdvancedStatefulSet = Declaration("deploy/workloadkinds/advanced-statefulset.yaml");

    private DeclaredWorkloadAdapter Adapter(WorkloadDeclaration declaration) => new(declaration, new WorkloadPatcher(api), new ApiPodIndex(api));

    [Fact]
    public async Task Apply_TakeOverOfNothingThenFirstBatch_CreatesItAtTheBatchSizeOnTheDeclaredPaths()
    {
        var target = Target(Widget, RolloutMode.Scale, originalSize: 0);

        await Adapter(Widget).ApplyAsync(target, [new PrepareWorkload(RolloutMode.Scale, 0, 5), new SetTarget(2)], CancellationToken.None);

        var created = api.Peek(Widget.Kind, Ns, "web")!;
        JsonPath.Int(created, "spec.size").ShouldBe(2);
        JsonPath.Get(created, "spec.replicas").ShouldBeNull();
        ((JsonPath.Get(created, "spec.podTemplate.metadata.labels") as JsonObject)![WorkloadMarks.TemplateHashLabel]!.GetValue<string>()).ShouldBe("hash-app-v2");
        WorkloadMarks.HeldBy(created, target).ShouldBeTrue();
    }

    [Fact]
    public async Task Apply_TakeOverWithPodsAlreadyOnTheTarget_HoldsThemAndBatchesAreFloors()
    {
        // Given a Widget on app-v1's template with 3 of its 5 pods already on app-v2 (a revert mid-way left them there)
        var widget = api.Put(Widget.Kind, Existing(Widget, revision: "app-v1", partition: 5));
        var uid = JsonPath.String(widget, "metadata.uid")!;
        for (var i = 0; i < 5; i++)
        {
            api.Put(ResourceKind.Pod, Pod($"web-{i}", uid, i < 3 ? "hash-app-v2" : "hash-app-v1"));
        }

        var adapter = Adapter(Widget);
        var target = Target(Widget, RolloutMode.Upgrade, originalSize: 5);

        // When the rollout to app-v2 takes it over: the 3 are held there (counted from the bottom: upgraded = 3)
        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5)], CancellationToken.None);
        JsonPath.Int(api.Peek(Widget.Kind, Ns, "web")!, "spec.rollout.upgraded").ShouldBe(3);
        JsonPath.Get(api.Peek(Widget.Kind, Ns, "web")!, "spec.rollout.hold")!.GetValue<bool>().ShouldBeFalse();

        // Then a batch of 1 moves nothing back, a batch of 4 moves one more
        await adapter.ApplyAsync(target, [new SetTarget(1)], CancellationToken.None);
        JsonPath.Int(api.Peek(Widget.Kind, Ns, "web")!, "spec.rollout.upgraded").ShouldBe(3);
        await adapter.ApplyAsync(target, [new SetTarget(4)], CancellationToken.None);
        JsonPath.Int(api.Peek(Widget.Kind, Ns, "web")!, "spec.rollout.upgraded").ShouldBe(4);

        // And the snapshot asks 4 of the target, counting from the declared status fields
        var snapshot = adapter.Snapshot(api.Peek(Widget.Kind, Ns, "web")!, target, []);
        snapshot.RequestedTarget.ShouldBe(4);
        snapshot.Prepared.ShouldBeTrue();
    }

    [Fact]
    public async Task Apply_RevertAndPause_PutTheSourceBackOnEveryPodAndHold()
    {
        api.Put(Widget.Kind, Existing(Widget, revision: "app-v1", partition: 5));
        var adapter = Adapter(Widget);
        var target = Target(Widget, RolloutMode.Upgrade, originalSize: 5);
        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5), new SetTarget(2)], CancellationToken.None);

        await adapter.ApplyAsync(target, [new RevertWorkload(RolloutMode.Upgrade, 5, null)], CancellationToken.None);

        var reverted = api.Peek(Widget.Kind, Ns, "web")!;
        WorkloadMarks.TemplateRevision(reverted).ShouldBe("app-v1");
        JsonPath.Int(reverted, "spec.rollout.upgraded").ShouldBe(5, "counted from the bottom: every pod on the (source) template");
        adapter.Snapshot(reverted, target, []).RevertRequested.ShouldBeTrue();

        await adapter.ApplyAsync(target, [new PauseWorkload()], CancellationToken.None);
        JsonPath.Get(api.Peek(Widget.Kind, Ns, "web")!, "spec.rollout.hold")!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Apply_ByOrdinalAfterARevert_WorksThePartitionOutFromThePods()
    {
        // Given an Advanced StatefulSet whose ordinals 0-1 already run the target (a revert mid-way left them) and 2-4 do not
        var sts = api.Put(AdvancedStatefulSet.Kind, Existing(AdvancedStatefulSet, revision: "app-v1", partition: 0));
        var uid = JsonPath.String(sts, "metadata.uid")!;
        for (var i = 0; i < 5; i++)
        {
            api.Put(ResourceKind.Pod, Pod($"web-{i}", uid, i < 2 ? "hash-app-v2" : "hash-app-v1"));
        }

        var adapter = Adapter(AdvancedStatefulSet);
        var target = Target(AdvancedStatefulSet, RolloutMode.Upgrade, originalSize: 5);

        // When it is taken over (every pod held: partition at the replicas) and asked for 3 pods on the target
        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 5, 5)], CancellationToken.None);
        JsonPath.Int(api.Peek(AdvancedStatefulSet.Kind, Ns, "web")!, "spec.updateStrategy.rollingUpdate.partition").ShouldBe(5);
        await adapter.ApplyAsync(target, [new SetTarget(3)], CancellationToken.None);

        // Then the partition is 4: ordinal 4 moves, 0-1 stay on the target
        JsonPath.Int(api.Peek(AdvancedStatefulSet.Kind, Ns, "web")!, "spec.updateStrategy.rollingUpdate.partition").ShouldBe(4);
    }

    [Fact]
    public async Task Verify_ATargetRevisionWithoutTheTemplatePath_SaysWhich()
    {
        var target = Target(Widget, RolloutMode.Scale, originalSize: 0);
        target = target with { Target = target.Target with { Manifest = new JsonObject { ["spec"] = new JsonObject { ["size"] = 5 } } } };

        (await Adapter(Widget).VerifyAsync(target, CancellationToken.None)).ShouldNotBeNull().ShouldStartWith("spec.paths.template: spec.podTemplate is not an object on the Widget web of revision app-v2");
    }

    private static JsonObject Existing(WorkloadDeclaration declaration, string revision, int partition)
    {
        var workload = new JsonObject
        {
            ["apiVersion"] = declaration.Kind.ApiVersion,
            ["kind"] = declaration.Kind.Kind,
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = Ns, ["annotations"] = new JsonObject { [WorkloadMarks.Revision] = revision } },
        };
        JsonPath.Set(workload, declaration.Replicas!, 5);
        JsonPath.Set(workload, declaration.Partition, partition);
        JsonPath.Set(workload, declaration.Template, Template("nginx:1"));
        JsonPath.Set(workload, declaration.UpdatedReplicas!, 3);
        JsonPath.Set(workload, declaration.UpdatedReadyReplicas!, 3);
        JsonPath.Set(workload, declaration.StatusReplicas!, 5);
        JsonPath.Set(workload, declaration.ReadyReplicas!, 5);
        return workload;
    }

    private static JsonObject Pod(string name, string ownerUid, string hash) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Ns,
            ["labels"] = new JsonObject { [WorkloadMarks.TemplateHashLabel] = hash },
            ["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = ownerUid, ["kind"] = "Widget", ["name"] = "web", ["controller"] = true }),
        },
    };

    private static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
    };

    private static RolloutTarget Target(WorkloadDeclaration declaration, RolloutMode mode, int originalSize)
    {
        WorkloadReference Revision(string name, string image)
        {
            var manifest = new JsonObject
            {
                ["apiVersion"] = declaration.Kind.ApiVersion,
                ["kind"] = declaration.Kind.Kind,
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app.oam.dev/appRevision"] = name } },
            };
            JsonPath.Set(manifest, declaration.Replicas!, 5);
            JsonPath.Set(manifest, declaration.Template, Template(image));
            return new WorkloadReference(declaration.Kind.ApiVersion, declaration.Kind.Kind, Ns, "web", name, "hash-" + name, manifest);
        }

        var source = mode == RolloutMode.Upgrade ? Revision("app-v1", "nginx:1") : null;
        return new RolloutTarget(Ns, "rollout", "uid-1", Revision("app-v2", "nginx:2"), source, mode, originalSize, 5);
    }
}
