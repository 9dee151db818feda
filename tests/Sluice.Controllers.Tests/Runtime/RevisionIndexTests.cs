using System.Text.Json.Nodes;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Tests.Runtime;

public class RevisionIndexTests
{
    private static InformerEvent Rollout(InformerEventType type, string name, string target, string? source = null) => new(type, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["targetAppRevisionName"] = target, ["sourceAppRevisionName"] = source },
    });

    private static ObjectKey Revision(string name) => new("default", name);

    [Fact]
    public void RolloutsOf_TargetAndSource_FindTheRollout()
    {
        var index = new RevisionIndex();

        index.Observe(Rollout(InformerEventType.Added, "r", "app-v2", "app-v1"));

        index.RolloutsOf(Revision("app-v2")).ShouldBe([new ObjectKey("default", "r")]);
        index.RolloutsOf(Revision("app-v1")).ShouldBe([new ObjectKey("default", "r")]);
        index.RolloutsOf(Revision("app-v3")).ShouldBeEmpty();
    }

    [Fact]
    public void Observe_TargetChanged_MovesTheRollout()
    {
        var index = new RevisionIndex();
        index.Observe(Rollout(InformerEventType.Added, "r", "app-v2"));

        index.Observe(Rollout(InformerEventType.Modified, "r", "app-v3"));

        index.RolloutsOf(Revision("app-v2")).ShouldBeEmpty();
        index.RolloutsOf(Revision("app-v3")).ShouldBe([new ObjectKey("default", "r")]);
    }

    [Fact]
    public void Observe_Deleted_ForgetsTheRollout()
    {
        var index = new RevisionIndex();
        index.Observe(Rollout(InformerEventType.Added, "r", "app-v2"));
        index.Observe(Rollout(InformerEventType.Added, "other", "app-v2"));

        index.Observe(Rollout(InformerEventType.Deleted, "r", "app-v2"));

        index.RolloutsOf(Revision("app-v2")).ShouldBe([new ObjectKey("default", "other")]);
    }
}
