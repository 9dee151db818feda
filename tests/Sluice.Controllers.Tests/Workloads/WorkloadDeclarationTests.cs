using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Workloads;

public class WorkloadDeclarationTests
{
    private static JsonObject Widget(string? mutate = null)
    {
        var declaration = YamlJson.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "custom-kind", "02-workloadkind.yaml"))).OfType<JsonObject>().Single(o => o["kind"]?.GetValue<string>() is "WorkloadKind" or "CustomResourceDefinition");
        return mutate is null ? declaration : MergePatch.Apply(declaration, JsonNode.Parse(mutate))!.AsObject();
    }

    [Fact]
    public void Parse_TheWidgetExample_ReadsEveryPath()
    {
        var (declaration, problem) = WorkloadDeclaration.Parse(Widget());

        problem.ShouldBeNull();
        declaration!.Kind.ApiVersion.ShouldBe("example.com/v1");
        declaration.Kind.Plural.ShouldBe("widgets");
        declaration.Replicas.ShouldBe("spec.size");
        declaration.Template.ShouldBe("spec.podTemplate");
        declaration.CountsFromTop.ShouldBeFalse();
        declaration.CountsFromStatus.ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"spec":{"style":"TwoObject"}}""", "spec.style: Unsupported value: \"TwoObject\": Sluice drives declared kinds in place only")]
    [InlineData("""{"spec":{"style":"Canary"}}""", "spec.style: Unsupported value: \"Canary\"")]
    [InlineData("""{"spec":{"paths":{"partition":null}}}""", "spec.paths.partition: Required value: an InPlace kind is rolled by its partition")]
    [InlineData("""{"spec":{"paths":{"template":null}}}""", "spec.paths.template: Required value")]
    [InlineData("""{"spec":{"paths":{"partition":"spec.rollout[0].upgraded"}}}""", "spec.paths.partition: Invalid value: \"spec.rollout[0].upgraded\": a dotted path of field names")]
    [InlineData("""{"spec":{"paths":{"partition":"status.upgraded"}}}""", "spec.paths.partition: Invalid value: \"status.upgraded\": a field Sluice writes must be in the spec")]
    [InlineData("""{"spec":{"paths":{"paused":"spec.size"}}}""", "spec.paths.paused: Invalid value: \"spec.size\": also spec.paths.replicas")]
    [InlineData("""{"spec":{"status":{"observedGeneration":null}}}""", "spec.status.observedGeneration: Required value")]
    [InlineData("""{"spec":{"paths":{"replicas":null},"status":{"replicas":null}}}""", "spec.status.replicas: Required value: a kind without spec.paths.replicas sizes itself")]
    [InlineData("""{"spec":{"ordinals":true}}""", "spec.ordinals: Invalid value: true: a kind that updates pods by ordinal counts its partition from the top")]
    [InlineData("""{"spec":{"partitionCountsFrom":"Middle"}}""", "spec.partitionCountsFrom: Unsupported value: \"Middle\"")]
    [InlineData("""{"spec":{"kind":null}}""", "spec.kind: Required value")]
    public void Parse_WhatThePathsCannotSupport_IsRefusedNamingTheField(string patch, string expected)
    {
        var (declaration, problem) = WorkloadDeclaration.Parse(Widget(patch));

        declaration.ShouldBeNull();
        problem.ShouldNotBeNull().ShouldStartWith(expected);
    }

    [Fact]
    public void Parse_ShippedKruiseDeclarations_AreAcceptedAndGrantTheControllerTheirKind()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "workloadkinds"), "*.yaml"))
        {
            var objects = YamlJson.ParseAll(File.ReadAllText(file)).OfType<JsonObject>().ToList();
            var (declaration, problem) = WorkloadDeclaration.Parse(objects.Single(o => o["kind"]?.GetValue<string>() == "WorkloadKind"));
            problem.ShouldBeNull(file);
            declaration!.Kind.Group.ShouldBe("apps.kruise.io");

            // The ClusterRole beside it lets the controller's service account list, watch, create and patch the kind
            var role = objects.Single(o => o["kind"]?.GetValue<string>() == "ClusterRole");
            var rule = role["rules"]!.AsArray().Single()!;
            rule["apiGroups"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldBe([declaration.Kind.Group], file);
            rule["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe([declaration.Kind.Plural], file);
            rule["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["list", "watch", "create", "patch"], file);
            var binding = objects.Single(o => o["kind"]?.GetValue<string>() == "ClusterRoleBinding");
            binding["roleRef"]!["name"]!.GetValue<string>().ShouldBe(role["metadata"]!["name"]!.GetValue<string>(), file);
            binding["subjects"]![0]!["name"]!.GetValue<string>().ShouldBe("sluice-controller", file);
            binding["subjects"]![0]!["namespace"]!.GetValue<string>().ShouldBe("sluice-system", file);
        }
    }

    [Fact]
    public void MissingOn_ARenderedObjectWithoutTheTemplate_NamesThePath()
    {
        var (declaration, _) = WorkloadDeclaration.Parse(Widget());
        var rendered = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Widget","spec":{"size":3,"template":{}}}""")!.AsObject();

        declaration!.MissingOn(rendered, "the Widget web").ShouldBe(
            "spec.paths.template: spec.podTemplate is not an object on the Widget web (WorkloadKind widgets.example.com): the declaration does not fit the objects it is meant to drive");
    }
}
