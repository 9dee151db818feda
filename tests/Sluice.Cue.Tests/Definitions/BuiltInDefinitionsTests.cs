using System.Text.Json.Nodes;
using Sluice.Cue.Catalog;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Sluice.Cue.Tests.Definitions;

/// <summary>Properties every file in deploy/definitions shares.</summary>
public class BuiltInDefinitionsTests
{
    public static TheoryData<string> Names => new(BuiltIn.Names);

    private static string Scalar(YamlNode root, params string[] path) => ((YamlScalarNode)TestFiles.At(root, path)).Value!;

    [Theory]
    [MemberData(nameof(Names))]
    public void Definition_File_IsAComponentDefinitionInVelaSystemNamedLikeItsFile(string name)
    {
        var yaml = TestFiles.LoadYaml(TestFiles.BuiltInDefinition(name));

        (Scalar(yaml, "apiVersion"), Scalar(yaml, "kind")).ShouldBe(("core.oam.dev/v1beta1", "ComponentDefinition"));
        (Scalar(yaml, "metadata", "name"), Scalar(yaml, "metadata", "namespace")).ShouldBe((name, "vela-system"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Render_AnyBuiltIn_OutputKindMatchesWorkloadDefinition(string name)
    {
        var yaml = TestFiles.LoadYaml(TestFiles.BuiltInDefinition(name));

        var output = BuiltIn.Render(name, """{"image":"busybox"}""").Value.Output;

        ((string?)output["apiVersion"], (string?)output["kind"]).ShouldBe(
            (Scalar(yaml, "spec", "workload", "definition", "apiVersion"), Scalar(yaml, "spec", "workload", "definition", "kind")));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Render_AnyBuiltIn_SelectorMatchesPodLabelsIncludingComponent(string name)
    {
        var output = BuiltIn.Render(name, """{"image":"busybox","labels":{"tier":"web"}}""").Value.Output;

        var podLabels = output["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selector = output["spec"]!["selector"]!["matchLabels"]!.AsObject();
        ((string?)podLabels["app.oam.dev/component"]).ShouldBe("api");
        ((string?)podLabels["tier"]).ShouldBe("web");
        foreach (var (key, value) in selector)
        {
            JsonNode.DeepEquals(podLabels[key], value).ShouldBeTrue(key);
        }
        selector.ContainsKey("app.oam.dev/component").ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Describe_AnyBuiltIn_DeclaresTheCommonParameters(string name)
    {
        var description = DefinitionCatalog.Describe(name, TestFiles.Template(TestFiles.BuiltInDefinition(name))).Value;

        description.Find("image")!.Required.ShouldBeTrue();
        foreach (var parameter in new[] { "cmd", "args", "env", "cpu", "memory", "labels", "annotations" })
        {
            description.Find(parameter).ShouldNotBeNull(parameter);
            description.Find(parameter)!.Required.ShouldBeFalse(parameter);
            description.Find(parameter)!.Usage.ShouldNotBeNullOrWhiteSpace(parameter);
        }
        (description.Find("replicas") is not null).ShouldBe(name != "daemon");
        (description.Find("port") is not null).ShouldBe(name != "worker");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Render_AnyBuiltInWithoutImage_FailsNamingImage(string name)
    {
        var result = BuiltIn.Render(name, "{}");

        result.Error!.Kind.ShouldBe(CueErrorKind.MissingParameter);
        result.Error.Message.ShouldBe($"definition \"{name}\": parameter \"image\" is required but was not given (type string)");
    }

    [Fact]
    public void Render_SeedComponentWithBuiltInCloneSet_RendersTheSeedsSettings()
    {
        var template = TestFiles.Template(TestFiles.BuiltInDefinition("clonesetservice"));
        var context = new RenderContext("metrics-provider", "test-rolling", "default", "test-rolling-v1", 1);

        var output = ComponentRenderer.Render("clonesetservice", template, TestFiles.SeedProperties(), context).Value.Output;

        ((long?)output["spec"]!["replicas"]).ShouldBe(5);
        ((string?)output["spec"]!["updateStrategy"]!["type"]).ShouldBe("InPlaceIfPossible");
        JsonAssert.Equal(
            JsonNode.Parse("""
                [{"name":"metrics-provider","image":"stefanprodan/podinfo:4.0.6","command":["./podinfo","stress-cpu=1"],
                  "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}]}]
                """),
            output["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Render_WebserviceLabelOverridingComponentLabel_FailsWithConflict()
    {
        var result = BuiltIn.Render("webservice", """{"image":"busybox","labels":{"app.oam.dev/component":"other"}}""");

        result.Error!.Kind.ShouldBe(CueErrorKind.Conflict);
        result.Error.Message.ShouldBe(
            "definition \"webservice\": output.metadata.labels.app.oam.dev/component: conflicting values \"api\" and \"other\"");
    }
}
