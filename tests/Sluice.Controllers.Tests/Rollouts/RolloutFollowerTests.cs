using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Operations;

namespace Sluice.Controllers.Tests.Rollouts;

/// <summary>The follower's writes: the rollout's spec (with the resourceVersion read) and the failed revision's mark.</summary>
public class RolloutFollowerTests
{
    private static JsonObject Revision(int number) => JsonNode.Parse("""
        {"metadata":{"name":"app-vNUMBER","namespace":"default","labels":{"app.oam.dev/name":"app"}},
         "spec":{"application":{"spec":{"components":[]}},"components":[{"name":"web","workload":
           {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"web"},"spec":{"replicas":4,"template":{"spec":{"containers":[{"name":"web","image":"x:NUMBER"}]}}}}}]}}
        """.Replace("NUMBER", number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))!.AsObject();

    private static async Task<(FakeKubeApi Api, RolloutFollower Follower, JsonObject Stored)> SetupAsync(int revisions, string? target = null, string? status = null)
    {
        var api = new FakeKubeApi();
        for (var n = 1; n <= revisions; n++)
        {
            api.Put(ResourceKind.ApplicationRevision, Revision(n));
        }

        var named = target is null ? "" : $",\"sourceAppRevisionName\":\"app-v1\",\"targetAppRevisionName\":\"{target}\"";
        var stored = await api.CreateAsync(ResourceKind.AppRollout, "default", JsonNode.Parse("""
            {"apiVersion":"core.oam.dev/v1beta1","kind":"AppRollout","metadata":{"name":"r"},
             "spec":{"follow":{"application":"app"},"componentList":["web"]NAMED,"rolloutPlan":{}}}
            """.Replace("NAMED", named, StringComparison.Ordinal))!.AsObject(), CancellationToken.None);
        if (status is not null)
        {
            stored["status"] = JsonNode.Parse(status);
            stored = await api.ReplaceStatusAsync(ResourceKind.AppRollout, "default", stored, CancellationToken.None);
        }

        return (api, new RolloutFollower(api, new WorkloadKinds(new WorkloadPatcher(api), new ApiPodIndex(api))), stored);
    }

    [Fact]
    public async Task SyncAsync_NoTargetAndTheWorkloadRunsAnOlderRevision_PointsTheSpecFromItToTheNewest()
    {
        var (api, follower, stored) = await SetupAsync(2);
        api.Put(ResourceKind.CloneSet, JsonNode.Parse("""
            {"metadata":{"name":"web","namespace":"default","annotations":{"REVISION":"app-v1"}},"spec":{"replicas":4}}
            """.Replace("REVISION", WorkloadMarks.Revision, StringComparison.Ordinal))!.AsObject());

        var outcome = await follower.SyncAsync(SluiceJson.Deserialize<AppRollout>(stored), stored, CancellationToken.None);

        outcome.SpecChanged.ShouldBeTrue();
        outcome.Events.Single().Message.ShouldBe("following Application app: rolling out app-v2 from app-v1, which its workload runs");
        var spec = (await api.GetAsync(ResourceKind.AppRollout, "default", "r", CancellationToken.None))!["spec"]!;
        (spec["sourceAppRevisionName"]?.GetValue<string>(), spec["targetAppRevisionName"]?.GetValue<string>()).ShouldBe(("app-v1", "app-v2"));
    }

    [Fact]
    public async Task SyncAsync_Failed_MarksTheRevisionItFailedOnAndLeavesTheSpec()
    {
        var (api, follower, stored) = await SetupAsync(2, target: "app-v2", status: """
            {"rollingState":"rolloutFailed","lastTargetAppRevision":"app-v2","LastSourceAppRevision":"app-v1",
             "conditions":[{"type":"RolloutFailed","status":"True","reason":"ProgressDeadlineExceeded"}]}
            """);

        var outcome = await follower.SyncAsync(SluiceJson.Deserialize<AppRollout>(stored), stored, CancellationToken.None);

        outcome.SpecChanged.ShouldBeFalse();
        outcome.Events.Single().Reason.ShouldBe("RevisionMarkedFailed");
        var revision = (await api.GetAsync(ResourceKind.ApplicationRevision, "default", "app-v2", CancellationToken.None))!;
        revision["metadata"]!["annotations"]![RolloutFollowing.FailedAnnotation]!.GetValue<string>().ShouldBe("r: ProgressDeadlineExceeded");
        (await api.GetAsync(ResourceKind.AppRollout, "default", "r", CancellationToken.None))!["spec"]!["targetAppRevisionName"]!.GetValue<string>().ShouldBe("app-v2");
    }
}
