using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Rollouts;

public class RevisionResolverTests
{
    private static readonly AppRollout Rollout = new()
    {
        Metadata = new ObjectMeta { Name = "r", Namespace = "default", Uid = "uid-1" },
        Spec = new AppRolloutSpec { TargetAppRevisionName = "app-v1", ComponentList = ["web"], RolloutPlan = new RolloutPlan() },
    };

    private static (FakeKubeApi Api, RevisionResolver Resolver) Setup()
    {
        var api = new FakeKubeApi();
        api.Put(ResourceKind.ApplicationRevision, JsonNode.Parse("""
            {"metadata":{"name":"app-v1","namespace":"default"},
             "spec":{"application":{"spec":{"components":[]}},"components":[{"name":"web","workload":
               {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","spec":{"replicas":4,"template":{"spec":{"containers":[{"name":"web","image":"x"}]}}}}}]}}
            """)!.AsObject());
        var patcher = new WorkloadPatcher(api);
        return (api, new RevisionResolver(api, new WorkloadKinds(patcher, new ApiPodIndex(api))));
    }

    private static string Marks(string json) => json
        .Replace("CONTROLLED", WorkloadMarks.ControlledBy, StringComparison.Ordinal)
        .Replace("ORIGINAL", WorkloadMarks.OriginalSize, StringComparison.Ordinal)
        .Replace("REVISION", WorkloadMarks.Revision, StringComparison.Ordinal);

    [Fact]
    public async Task ResolveAsync_BlueGreenRedirectedAfterTheFirstSwitch_CountsTheComponentsOwnObjectAsASibling()
    {
        // Given a CloneSet component rolled in place as "web" (app-v1), then blue/green to app-v2 beside it ("web-v2"),
        // and now a rollout from app-v2 to app-v3
        var api = new FakeKubeApi();
        foreach (var version in (int[])[1, 2, 3])
        {
            api.Put(ResourceKind.ApplicationRevision, JsonNode.Parse($$$"""
                {"metadata":{"name":"app-v{{{version}}}","namespace":"default","labels":{"app.oam.dev/name":"app"}},
                 "spec":{"application":{"spec":{"components":[]}},"components":[{"name":"web","workload":
                   {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"web","image":"x:{{{version}}}"}]} } } } }]} }
                """)!.AsObject());
        }

        foreach (var (name, replicas) in (ValueTuple<string, int>[])[("web", 5), ("web-v2", 5)])
        {
            api.Put(ResourceKind.CloneSet, JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"replicas":{{{replicas}}}}}""")!.AsObject());
        }

        var resolver = new RevisionResolver(api, new WorkloadKinds(new WorkloadPatcher(api), new ApiPodIndex(api)));
        var rollout = Rollout with
        {
            Spec = Rollout.Spec with
            {
                SourceAppRevisionName = "app-v2",
                TargetAppRevisionName = "app-v3",
                RolloutPlan = new RolloutPlan { BlueGreen = new BlueGreen { ActiveService = "web" } },
            },
        };

        var resolved = await resolver.ResolveAsync(rollout, CancellationToken.None);

        // Then "web" (still running app-v1) goes down with the source and is deleted on success, as web-v1 would be
        resolved.Target!.Source!.Name.ShouldBe("web-v2");
        resolved.Target.Target.Name.ShouldBe("web-v3");
        resolved.Target.Siblings.ShouldBe(["web"]);
    }

    [Fact]
    public async Task ResolveAsync_ScaleFromNothing_StartsFromZero()
    {
        var (_, resolver) = Setup();

        var resolved = await resolver.ResolveAsync(Rollout, CancellationToken.None);

        resolved.Revisions.OriginalSize.ShouldBe(0);
        resolved.Revisions.TargetSize.ShouldBe(4);
    }

    [Fact]
    public async Task ResolveAsync_WorkloadThisRolloutResizedBeforeACrash_ResumesFromTheRecordedOriginalSize()
    {
        // Given the controller created the CloneSet, asked for batch 1, and died before writing the rollout's status
        var (api, resolver) = Setup();
        api.Put(ResourceKind.CloneSet, JsonNode.Parse(Marks("""
            {"metadata":{"name":"web","namespace":"default","annotations":{
               "CONTROLLED":"default/r/uid-1","ORIGINAL":"0","REVISION":"app-v1"}},
             "spec":{"replicas":1}}
            """))!.AsObject());

        var resolved = await resolver.ResolveAsync(Rollout, CancellationToken.None);

        resolved.Revisions.OriginalSize.ShouldBe(0, "the live size (1) is the rollout's own doing");
    }

    [Fact]
    public async Task ResolveAsync_WorkloadHeldByAnotherRollout_IgnoresItsRecord()
    {
        var (api, resolver) = Setup();
        api.Put(ResourceKind.CloneSet, JsonNode.Parse(Marks("""
            {"metadata":{"name":"web","namespace":"default","annotations":{
               "CONTROLLED":"default/other/uid-2","ORIGINAL":"0","REVISION":"app-v1"}},
             "spec":{"replicas":3}}
            """))!.AsObject());

        var resolved = await resolver.ResolveAsync(Rollout, CancellationToken.None);

        resolved.Revisions.OriginalSize.ShouldBe(3);
        resolved.Revisions.WorkloadProblem.ShouldNotBeNull().ShouldContain("held by rollout default/other");
    }
}
