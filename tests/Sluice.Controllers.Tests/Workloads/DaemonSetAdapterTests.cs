using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Tests.Workloads;

public class DaemonSetAdapterTests
{
    private const string Ns = "default";
    private static readonly string[] NodeNames = ["node-0", "node-1", "node-2"];

    private readonly FakeKubeApi api = new();
    private readonly DaemonSetAdapter adapter;
    private readonly RolloutTarget target = Target();

    public DaemonSetAdapterTests() => adapter = new DaemonSetAdapter(new WorkloadPatcher(api));

    [Fact]
    public async Task PrepareWorkload_Twice_SavesTheUsersStrategyOnceAndHoldsWithOnDelete()
    {
        PutDaemonSet(held: false, revision: "app-v1", strategy: "RollingUpdate");

        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 3, 3)], CancellationToken.None);
        await adapter.ApplyAsync(target, [new PrepareWorkload(RolloutMode.Upgrade, 3, 3)], CancellationToken.None);

        var ds = api.Peek(ResourceKind.DaemonSet, Ns, "agent")!;
        JsonPath.String(ds, "spec.updateStrategy.type").ShouldBe("OnDelete");
        JsonPath.Annotation(ds, DaemonSetAdapter.SavedStrategy).ShouldBe("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}""");
        JsonPath.Annotation(ds, WorkloadMarks.Revision).ShouldBe("app-v2");
        (JsonPath.Get(ds, "spec.template.metadata.labels") as JsonObject)![WorkloadMarks.TemplateHashLabel]!.GetValue<string>().ShouldBe("hash-v2");
        api.Calls.ShouldNotContain(c => c.StartsWith("delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetTarget_Repeated_DeletesOnlyWhatTheBatchStillNeeds()
    {
        PutDaemonSet(held: true, revision: "app-v2", strategy: "OnDelete");
        PutPods("hash-v1", "hash-v1", "hash-v1");

        await adapter.ApplyAsync(target, [new SetTarget(1)], CancellationToken.None);
        await adapter.ApplyAsync(target, [new SetTarget(1)], CancellationToken.None);
        Deletes().ShouldBe(1);

        // The replacement came up on the target, not ready yet: asking again for the same batch deletes nothing
        api.Put(ResourceKind.Pod, Pod("agent-new-0", NodeFreedBy(), "hash-v2", ready: false));
        await adapter.ApplyAsync(target, [new SetTarget(1)], CancellationToken.None);
        Deletes().ShouldBe(1);

        await adapter.ApplyAsync(target, [new SetTarget(3)], CancellationToken.None);
        Deletes().ShouldBe(3);
        await adapter.ApplyAsync(target, [new SetTarget(3)], CancellationToken.None);
        Deletes().ShouldBe(3);
    }

    [Fact]
    public async Task SetTarget_ControllerNotCaughtUpWithTheTemplate_DeletesNothing()
    {
        PutDaemonSet(held: true, revision: "app-v2", strategy: "OnDelete", observedGeneration: 1, generation: 2);
        PutPods("hash-v1", "hash-v1", "hash-v1");

        await adapter.ApplyAsync(target, [new SetTarget(2)], CancellationToken.None);

        Deletes().ShouldBe(0);
    }

    [Fact]
    public async Task Snapshot_NodesAwaitingAReplacement_CountAsAskedForButNotAsUpgraded()
    {
        PutDaemonSet(held: true, revision: "app-v2", strategy: "OnDelete");
        api.Put(ResourceKind.Pod, Pod("agent-a", "node-0", "hash-v2", ready: true));
        api.Put(ResourceKind.Pod, Pod("agent-b", "node-1", "hash-v1", ready: true));

        var snapshot = await adapter.ObserveAsync(target, CancellationToken.None);

        snapshot.Prepared.ShouldBeTrue();
        snapshot.RequestedTarget.ShouldBe(2);
        snapshot.TargetPods.ShouldBe(1);
        snapshot.TargetReady.ShouldBe(1);
        snapshot.SourcePods.ShouldBe(1);
    }

    [Fact]
    public async Task RevertWorkload_DefaultMaxUnavailable_DeletesOneReadyTargetPodAtATime()
    {
        PutDaemonSet(held: true, revision: "app-v1", strategy: "OnDelete");
        PutPods("hash-v2", "hash-v2", "hash-v1");

        await adapter.ApplyAsync(target, [new RevertWorkload(RolloutMode.Upgrade, 3, null)], CancellationToken.None);
        await adapter.ApplyAsync(target, [new RevertWorkload(RolloutMode.Upgrade, 3, null)], CancellationToken.None);

        Deletes().ShouldBe(1);
        JsonPath.String(api.Peek(ResourceKind.DaemonSet, Ns, "agent"), "spec.updateStrategy.type").ShouldBe("OnDelete");
    }

    [Fact]
    public async Task ReleaseWorkload_Succeeded_RestoresTheSavedStrategy()
    {
        PutDaemonSet(held: true, revision: "app-v2", strategy: "OnDelete", saved: """{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":2}}""");

        await adapter.ApplyAsync(target, [new ReleaseWorkload(Succeeded: true)], CancellationToken.None);

        var ds = api.Peek(ResourceKind.DaemonSet, Ns, "agent")!;
        JsonPath.String(ds, "spec.updateStrategy.type").ShouldBe("RollingUpdate");
        JsonPath.Int(ds, "spec.updateStrategy.rollingUpdate.maxUnavailable").ShouldBe(2);
        JsonPath.Annotation(ds, DaemonSetAdapter.SavedStrategy).ShouldBeNull();
        JsonPath.Annotation(ds, WorkloadMarks.ControlledBy).ShouldBeNull();
    }

    [Fact]
    public async Task ReleaseWorkload_FailedHalfUpgraded_StaysOnDeleteSoNoPodMoves()
    {
        PutDaemonSet(held: true, revision: "app-v2", strategy: "OnDelete", saved: """{"type":"RollingUpdate"}""");
        PutPods("hash-v2", "hash-v1", "hash-v1");

        await adapter.ApplyAsync(target, [new ReleaseWorkload(Succeeded: false)], CancellationToken.None);

        var ds = api.Peek(ResourceKind.DaemonSet, Ns, "agent")!;
        JsonPath.String(ds, "spec.updateStrategy.type").ShouldBe("OnDelete");
        JsonPath.Annotation(ds, DaemonSetAdapter.SavedStrategy).ShouldNotBeNull();
        JsonPath.Annotation(ds, WorkloadMarks.ControlledBy).ShouldBeNull();
    }

    private int Deletes() => api.Calls.Count(c => c.StartsWith("delete pods", StringComparison.Ordinal));

    /// <summary>The node whose pod the adapter deleted (the only one without a pod).</summary>
    private string NodeFreedBy()
    {
        var used = (api.ListAsync(ResourceKind.Pod, Ns, null, CancellationToken.None).Result["items"] as JsonArray)!
            .Select(p => JsonPath.String(p, "spec.nodeName")).ToHashSet();
        return NodeNames.Single(n => !used.Contains(n));
    }

    private string DaemonSetUid => JsonPath.String(api.Peek(ResourceKind.DaemonSet, Ns, "agent"), "metadata.uid")!;

    private void PutPods(params string[] hashes)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            api.Put(ResourceKind.Pod, Pod($"agent-{i}", NodeNames[i], hashes[i], ready: true));
        }
    }

    private JsonObject Pod(string name, string node, string hash, bool ready) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Ns,
            ["labels"] = new JsonObject { ["app"] = "agent", [WorkloadMarks.TemplateHashLabel] = hash },
            ["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "DaemonSet", ["name"] = "agent", ["uid"] = DaemonSetUid }),
        },
        ["spec"] = new JsonObject { ["nodeName"] = node },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };

    private void PutDaemonSet(bool held, string revision, string strategy, string? saved = null, long observedGeneration = 1, long generation = 1)
    {
        var annotations = new JsonObject { [WorkloadMarks.Revision] = revision };
        if (held)
        {
            annotations[WorkloadMarks.ControlledBy] = WorkloadMarks.Holder(target);
        }

        if (saved is not null)
        {
            annotations[DaemonSetAdapter.SavedStrategy] = saved;
        }

        var updateStrategy = strategy == "OnDelete"
            ? new JsonObject { ["type"] = "OnDelete" }
            : new JsonObject { ["type"] = strategy, ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1 } };
        api.Put(ResourceKind.DaemonSet, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "agent", ["namespace"] = Ns, ["generation"] = generation, ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "agent" } },
                ["updateStrategy"] = updateStrategy,
                ["template"] = WorkloadMarks.StampedTemplate(revision == "app-v2" ? target.Target : target.Source!),
            },
            ["status"] = new JsonObject { ["observedGeneration"] = observedGeneration, ["desiredNumberScheduled"] = NodeNames.Length },
        });
    }

    private static RolloutTarget Target()
    {
        static WorkloadReference Revision(string name, string hash, string image) => new("apps/v1", "DaemonSet", Ns, "agent", name, hash, new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["spec"] = new JsonObject
            {
                ["updateStrategy"] = new JsonObject { ["type"] = "RollingUpdate" },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "agent" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["image"] = image }) },
                },
            },
        });

        return new RolloutTarget(Ns, "rollout", "uid-1", Revision("app-v2", "hash-v2", "img:2"), Revision("app-v1", "hash-v1", "img:1"), RolloutMode.Upgrade, 3, 3);
    }
}
