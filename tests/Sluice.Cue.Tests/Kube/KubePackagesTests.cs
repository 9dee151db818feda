using System.Text.Json.Nodes;
using Sluice.Cue.Kube;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Kube;

/// <summary>
/// kube/&lt;group&gt;/&lt;version&gt; packages from OpenAPI v3, as KubeVela's templates import them: here generated from the
/// schemas the embedded plane publishes (src/Sluice.ControlPlane/Resources/builtin-openapi.json).
/// </summary>
public class KubePackagesTests
{
    private static readonly Lazy<JsonObject> PlaneSchemas = new(() =>
    {
        var file = TestFiles.LoadJson(Path.Combine(TestFiles.RepoRoot, "src", "Sluice.ControlPlane", "Resources", "builtin-openapi.json"));
        return new JsonObject { ["components"] = new JsonObject { ["schemas"] = file["schemas"]!.DeepClone() } };
    });

    private static CuePackages Packages(params string[] apiVersions) =>
        new(apiVersions.ToDictionary(v => KubePackages.ImportPath(v), v => KubePackages.Generate(v, PlaneSchemas.Value)), "the test's OpenAPI");

    private static CueResult<RenderedComponent> Render(string template, string properties = """{"image":"nginx:1.27"}""") =>
        ComponentRenderer.Render(new DefinitionTemplate("deploy", template, JsonNode.Parse(properties)!.AsObject()), [], BuiltIn.Context, Packages("apps/v1", "v1"));

    private const string Template = """
        import (
            apps "kube/apps/v1"
        )
        output: apps.#Deployment
        output: {
            spec: {
                selector: matchLabels: app: context.name
                if parameter["replicas"] != _|_ {
                    replicas: parameter.replicas
                }
                template: {
                    metadata: labels: app: context.name
                    spec: containers: [{
                        name:  context.name
                        image: parameter.image
                        ports: [{containerPort: parameter.port}]
                    }]
                }
            }
        }
        parameter: {
            image: string
            port: *80 | int
            replicas?: int
        }
        """;

    [Fact]
    public void Render_OutputUnifiedWithDeploymentDefinition_GetsApiVersionAndKind()
    {
        var result = Render(Template);

        result.Error.ShouldBeNull();
        JsonAssert.Equal(JsonNode.Parse("""
            {
              "apiVersion": "apps/v1", "kind": "Deployment",
              "spec": {
                "selector": {"matchLabels": {"app": "api"}},
                "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "api", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}
              }
            }
            """), result.Value.Output);
    }

    [Fact]
    public void Render_FieldTheApiDoesNotHave_IsNotAllowedNamingThePath()
    {
        var result = Render(Template.Replace("ports: [{containerPort: parameter.port}]", "ports: [{containerPort: parameter.port, containerPrt: 1}]", StringComparison.Ordinal));

        result.Error.ShouldNotBeNull();
        result.Error.Message.ShouldBe("definition \"deploy\": output.spec.template.spec.containers[0].ports[0].containerPrt: field not allowed: ContainerPort has no field \"containerPrt\"");
    }

    [Fact]
    public void Render_ValueOfTheWrongType_IsATypeError()
    {
        var result = Render(Template.Replace("replicas: parameter.replicas", "replicas: \"three\"", StringComparison.Ordinal), """{"image":"nginx:1.27","replicas":3}""");

        result.Error.ShouldNotBeNull();
        result.Error.Kind.ShouldBe(CueErrorKind.TypeMismatch);
        result.Error.Message.ShouldContain("output.spec.replicas");
    }

    [Fact]
    public void Render_ImportOfAGroupVersionTheServerDoesNotHave_IsRefusedNamingIt()
    {
        var result = ComponentRenderer.Render(new DefinitionTemplate("deploy", "import (x \"kube/example.com/v9\")\noutput: x.#Widget", []), [], BuiltIn.Context, Packages("apps/v1"));

        result.Error.ShouldNotBeNull();
        result.Error.Message.ShouldBe("definition \"deploy\": import \"kube/example.com/v9\": no such package: the API server publishes no example.com/v9 in its OpenAPI v3 (the test's OpenAPI)");
    }

    [Fact]
    public void Generate_Kinds_AreClosedDefinitionsWithTheirTypeFields()
    {
        var source = KubePackages.Generate("apps/v1", PlaneSchemas.Value);

        source.ShouldContain("#Deployment: #S_Deployment & {\n\t\"apiVersion\": \"apps/v1\"\n\t\"kind\": \"Deployment\"\n}");
        source.ShouldContain("#StatefulSet: #S_StatefulSet & {");
        source.ShouldNotContain("#Pod:");
        CueParser.Validate("kube/apps/v1", source).IsSuccess.ShouldBeTrue();
    }
}
