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
