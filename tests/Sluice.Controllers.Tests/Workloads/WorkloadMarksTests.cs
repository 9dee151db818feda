using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Tests.Workloads;

public class WorkloadMarksTests
{
    [Fact]
    public void StampedTemplate_Revision_CarriesItsHashAndItsNameAsLabels()
    {
        var template = WorkloadMarks.StampedTemplate(Reference("test-rolling-v2"));

        template["metadata"]!["labels"]!.ToJsonString().ShouldBe("""{"app":"web","rollout.sluice.dev/template-hash":"h2","rollout.sluice.dev/revision":"test-rolling-v2"}""");
    }

    [Fact]
    public void StampedTemplate_NameTooLongForALabel_CarriesTheHashOnly()
    {
        var template = WorkloadMarks.StampedTemplate(Reference(new string('a', 61) + "-v2"));

        (template["metadata"]!["labels"] as JsonObject)!.ContainsKey(WorkloadMarks.RevisionLabel).ShouldBeFalse();
    }

    private static WorkloadReference Reference(string revision) => new("apps/v1", "Deployment", "default", "web", revision, "h2",
        JsonNode.Parse("""{"spec":{"template":{"metadata":{"labels":{"app":"web"}}}}}""")!.AsObject());
}
