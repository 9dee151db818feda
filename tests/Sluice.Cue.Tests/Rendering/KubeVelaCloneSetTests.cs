using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Rendering;

public class KubeVelaCloneSetTests
{
    private static readonly RenderContext Context = new("metrics-provider", "test-rolling", "default", "test-rolling-v1", 1);

    [Fact]
    public void Render_SeedComponentWithKubeVelaDefinition_ProducesTheCloneSet()
    {
        var template = TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition);
        var properties = TestFiles.SeedProperties();

        var result = ComponentRenderer.Render("clonesetservice", template, properties, Context);

        result.Error.ShouldBeNull();
        var expected = new JsonObject
        {
            ["apiVersion"] = "apps.kruise.io/v1alpha1",
            ["kind"] = "CloneSet",
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject { ["app.oam.dev/component"] = "metrics-provider" },
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 5,
                ["selector"] = new JsonObject
                {
                    ["matchLabels"] = new JsonObject { ["app.oam.dev/component"] = "metrics-provider" },
                },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["labels"] = new JsonObject { ["app.oam.dev/component"] = "metrics-provider" },
                    },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "metrics-provider",
                            ["image"] = "stefanprodan/podinfo:4.0.6",
                            ["command"] = new JsonArray("./podinfo", "stress-cpu=1"),
                            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }),
                        }),
                    },
                },
                ["updateStrategy"] = new JsonObject { ["type"] = "InPlaceIfPossible" },
            },
        };
        JsonAssert.Equal(expected, result.Value.Output);
        result.Value.Outputs.ShouldBeEmpty();
    }

    [Fact]
    public void Render_OnlyImage_UsesDefaultPortAndOmitsOptionalFields()
    {
        var template = TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition);

        var result = ComponentRenderer.Render("clonesetservice", template, new JsonObject { ["image"] = "nginx:1.27" }, Context);

        result.Error.ShouldBeNull();
        var spec = result.Value.Output["spec"]!.AsObject();
        spec.ContainsKey("replicas").ShouldBeFalse();
        spec.ContainsKey("updateStrategy").ShouldBeFalse();
        JsonAssert.Equal(
            JsonNode.Parse("""[{"name":"metrics-provider","image":"nginx:1.27","ports":[{"containerPort":80}]}]"""),
            spec["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Render_EnvAndCpuAndContextConfig_FillsTheContainer()
    {
        var template = TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition);
        var properties = JsonNode.Parse("""
            {"image":"nginx","cpu":"0.5","env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}
            """)!.AsObject();

        var result = ComponentRenderer.Render("clonesetservice", template, properties, Context);

        result.Error.ShouldBeNull();
        JsonAssert.Equal(
            JsonNode.Parse("""
                [{"name":"metrics-provider","image":"nginx",
                  "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],
                  "ports":[{"containerPort":80}],
                  "resources":{"limits":{"cpu":"0.5"},"requests":{"cpu":"0.5"}}}]
                """),
            result.Value.Output["spec"]!["template"]!["spec"]!["containers"]);
    }
}
