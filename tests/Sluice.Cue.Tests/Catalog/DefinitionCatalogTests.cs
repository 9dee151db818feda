using Sluice.Cue.Catalog;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Catalog;

public class DefinitionCatalogTests
{
    [Fact]
    public void Describe_KubeVelaCloneSet_ListsEveryParameterWithTypeDefaultAndUsage()
    {
        var template = TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition);

        var result = DefinitionCatalog.Describe("clonesetservice", template);

        result.Error.ShouldBeNull();
        var description = result.Value;
        description.Name.ShouldBe("clonesetservice");
        description.Parameters.Select(p => p.Name)
            .ShouldBe(["image", "cmd", "port", "env", "cpu", "updateStrategyType", "replicas"]);

        var image = description.Find("image")!;
        (image with { Fields = [] }).ShouldBe(new ParameterDescription(
            "image", "string", true, null, "Which image would you like to use for your service", "i", []));

        var port = description.Find("port")!;
        (port.Type, port.Required, port.Default, port.Short).ShouldBe(("int", false, "80", "p"));
        port.Usage.ShouldBe("Which port do you want customer traffic sent to");

        var cmd = description.Find("cmd")!;
        (cmd.Type, cmd.Required, cmd.Default, cmd.Usage).ShouldBe(("[...string]", false, null, "Commands to run in the container"));

        var env = description.Find("env")!;
        (env.Type, env.Required).ShouldBe(("[...{...}]", false));
        env.Fields.Select(f => (f.Name, f.Type, f.Required)).ShouldBe([("name", "string", true), ("value", "string", false), ("valueFrom", "{...}", false)]);
        env.Fields[2].Fields[0].Fields.Select(f => f.Name).ShouldBe(["name", "key"]);

        (description.Find("cpu")!.Type, description.Find("cpu")!.Required).ShouldBe(("string", false));
        description.Find("updateStrategyType")!.Usage.ShouldBe("Cloneset updateStrategy, candidates are `ReCreate`/`InPlaceIfPossible`/`InPlaceOnly`");
        (description.Find("replicas")!.Type, description.Find("replicas")!.Required).ShouldBe(("int", false));
    }

    [Fact]
    public void Describe_DisjunctionsAndPatterns_ShowsAlternativesAndDefaults()
    {
        const string template = """
            parameter: {
                // +usage=How to expose
                exposeType: *"ClusterIP" | "NodePort" | "LoadBalancer"
                debug: *false | bool
                labels?: [string]: string
                ratio: number
                replicas: *1 | int & >=0
            }
            """;

        var result = DefinitionCatalog.Describe("demo", template);

        result.Value.Parameters.Select(p => (p.Name, p.Type, p.Required, p.Default)).ShouldBe([
            ("exposeType", "\"ClusterIP\" | \"NodePort\" | \"LoadBalancer\"", false, "\"ClusterIP\""),
            ("debug", "bool", false, "false"),
            ("labels", "{[string]: string}", false, null),
            ("ratio", "number", true, null),
            ("replicas", "int & >=0", false, "1"),
        ]);
    }

    [Fact]
    public void Describe_MalformedTemplate_ReturnsParseError()
    {
        var result = DefinitionCatalog.Describe("broken", "parameter: {\n  image: \n}");

        result.Error!.Kind.ShouldBe(CueErrorKind.Parse);
        result.Error.Message.ShouldBe("definition \"broken\": parse error at line 3, column 1: expected an expression, found '}'");
    }
}
