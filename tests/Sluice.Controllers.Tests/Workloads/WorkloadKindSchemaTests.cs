using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Workloads;

public class WorkloadKindSchemaTests
{
    private static JsonObject Example(string file) =>
        YamlJson.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "custom-kind", file))).OfType<JsonObject>().Single(o => o["kind"]?.GetValue<string>() is "WorkloadKind" or "CustomResourceDefinition");

    private static WorkloadDeclaration Declaration(string? patch = null)
    {
        var yaml = Example("02-workloadkind.yaml");
        var (declaration, problem) = WorkloadDeclaration.Parse(patch is null ? yaml : MergePatch.Apply(yaml, JsonNode.Parse(patch))!.AsObject());
        problem.ShouldBeNull();
        return declaration!;
    }

    [Fact]
    public void Check_TheWidgetExampleAgainstItsCrd_Fits()
    {
        WorkloadKindSchema.Check(Declaration(), Example("01-widget-crd.yaml")).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"spec":{"paths":{"partition":"spec.rollout.upgradedd"}}}""",
        "spec.paths.partition: Invalid value: \"spec.rollout.upgradedd\": spec.rollout has no field upgradedd (it has: hold, upgraded) in the schema of widgets.example.com v1")]
    [InlineData("""{"spec":{"paths":{"replicas":"spec.replicas"}}}""",
        "spec.paths.replicas: Invalid value: \"spec.replicas\": spec has no field replicas (it has: podTemplate, rollout, selector, size)")]
    [InlineData("""{"spec":{"paths":{"paused":"spec.selector"}}}""",
        "spec.paths.paused: Invalid value: \"spec.selector\": spec.selector is object, not a boolean")]
    [InlineData("""{"spec":{"status":{"readyReplicas":"status.ready"}}}""",
        "spec.status.readyReplicas: Invalid value: \"status.ready\": status has no field ready")]
    [InlineData("""{"spec":{"version":"v2"}}""", "spec.version: Invalid value: \"v2\": CustomResourceDefinition widgets.example.com serves v1")]
    [InlineData("""{"spec":{"kind":"Gizmo"}}""", "spec.kind: Invalid value: \"Gizmo\": CustomResourceDefinition widgets.example.com serves kind Widget")]
    public void Check_APathTheSchemaDoesNotHold_IsRefusedNamingTheField(string patch, string expected)
    {
        WorkloadKindSchema.Check(Declaration(patch), Example("01-widget-crd.yaml")).ShouldNotBeNull().ShouldStartWith(expected);
    }

    [Fact]
    public void Check_BelowAFieldThatKeepsUnknownFields_CannotRefute()
    {
        WorkloadKindSchema.Check(Declaration("""{"spec":{"paths":{"template":"spec.podTemplate.spec"}}}"""), Example("01-widget-crd.yaml")).ShouldBeNull();
    }
}
