using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Rendering;

public class ComponentRendererTests
{
    private static readonly RenderContext Context = new("api", "shop", "prod", "shop-v3", 3);

    private static CueResult<RenderedComponent> Render(string template, string properties = "{}", string definition = "demo") =>
        ComponentRenderer.Render(definition, template, JsonNode.Parse(properties)!.AsObject(), Context);

    private static CueResult<RenderedComponent> RenderCloneSet(string properties) =>
        ComponentRenderer.Render(
            "clonesetservice",
            TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition),
            JsonNode.Parse(properties)!.AsObject(),
            Context);

    private static void ShouldFail(CueResult<RenderedComponent> result, CueErrorKind kind, string message)
    {
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Message.ShouldBe(message);
        result.Error.Kind.ShouldBe(kind);
    }

    [Fact]
    public void Render_Context_ExposesNameAppNamespaceAndRevision()
    {
        const string template = """
            output: {
                name: context.name
                app: context.appName
                ns: context.namespace
                revision: context.appRevision
                number: context.appRevisionNum
                next: "\(context.appName)-v\(context.appRevisionNum + 1)"
            }
            """;

        var result = Render(template);

        JsonAssert.Equal(
            JsonNode.Parse("""{"name":"api","app":"shop","ns":"prod","revision":"shop-v3","number":3,"next":"shop-v4"}"""),
            result.Value.Output);
    }

    [Fact]
    public void Render_ContextExtra_IsVisibleToTheTemplate()
    {
        var context = Context with { Extra = new JsonObject { ["config"] = new JsonArray(new JsonObject { ["name"] = "K", ["value"] = "V" }) } };

        var result = ComponentRenderer.Render(
            "clonesetservice", TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition), new JsonObject { ["image"] = "x" }, context);

        JsonAssert.Equal(
            JsonNode.Parse("""[{"name":"K","value":"V"}]"""),
            result.Value.Output["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Render_RequiredParameterMissing_NamesDefinitionAndParameter()
    {
        ShouldFail(
            RenderCloneSet("""{"port":8080}"""),
            CueErrorKind.MissingParameter,
            "definition \"clonesetservice\": parameter \"image\" is required but was not given (type string)");
    }

    [Fact]
    public void Render_RequiredFieldOfListElementMissing_NamesTheElementField()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","env":[{"name":"A"},{"value":"1"}]}"""),
            CueErrorKind.MissingParameter,
            "definition \"clonesetservice\": parameter \"env[1].name\" is required but was not given (type string)");
    }

    [Fact]
    public void Render_UndeclaredParameter_NamesParameterAndValue()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","imagePullPolicy":"Always"}"""),
            CueErrorKind.UndeclaredParameter,
            "definition \"clonesetservice\": parameter \"imagePullPolicy\" is not declared (value \"Always\")");
    }

    [Fact]
    public void Render_UndeclaredFieldInListElement_NamesThePath()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","env":[{"name":"A","vaule":"1"}]}"""),
            CueErrorKind.UndeclaredParameter,
            "definition \"clonesetservice\": parameter \"env[0].vaule\" is not declared (value \"1\")");
    }

    [Fact]
    public void Render_OpenStructParameter_AcceptsAnyField()
    {
        var result = Render("""
            output: meta: parameter.extra
            parameter: extra: {...}
            """, """{"extra":{"a":1,"b":{"c":true}}}""");

        JsonAssert.Equal(JsonNode.Parse("""{"meta":{"a":1,"b":{"c":true}}}"""), result.Value.Output);
    }

    [Fact]
    public void Render_WrongTypeForDefaultedInt_NamesParameterTypeAndValue()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","port":"http"}"""),
            CueErrorKind.TypeMismatch,
            "definition \"clonesetservice\": parameter \"port\" must be int, got \"http\"");
    }

    [Fact]
    public void Render_StringForList_IsATypeError()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","cmd":"./podinfo"}"""),
            CueErrorKind.TypeMismatch,
            "definition \"clonesetservice\": parameter \"cmd\" must be a list, got \"./podinfo\"");
    }

    [Fact]
    public void Render_StructForInt_IsATypeError()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","replicas":{"min":1}}"""),
            CueErrorKind.TypeMismatch,
            "definition \"clonesetservice\": parameter \"replicas\" must be int, got a struct");
    }

    [Fact]
    public void Render_FloatForInt_IsATypeError()
    {
        ShouldFail(
            RenderCloneSet("""{"image":"x","replicas":2.5}"""),
            CueErrorKind.TypeMismatch,
            "definition \"clonesetservice\": parameter \"replicas\" must be int, got 2.5");
    }

    [Fact]
    public void Render_ValueOutsideDisjunction_ListsTheAlternatives()
    {
        ShouldFail(
            Render("""
                output: type: parameter.exposeType
                parameter: exposeType: *"ClusterIP" | "NodePort" | "LoadBalancer"
                """, """{"exposeType":"Ingress"}""", "webservice"),
            CueErrorKind.OutsideDisjunction,
            "definition \"webservice\": parameter \"exposeType\" must be one of \"ClusterIP\" | \"NodePort\" | \"LoadBalancer\", got \"Ingress\"");
    }

    [Fact]
    public void Render_ConflictingParameterValue_NamesBothValues()
    {
        ShouldFail(
            Render("""
                output: mode: parameter.mode
                parameter: mode: "fixed"
                """, """{"mode":"other"}"""),
            CueErrorKind.Conflict,
            "definition \"demo\": parameter \"mode\": conflicting values \"fixed\" and \"other\"");
    }

    [Fact]
    public void Render_FieldDeclaredTwiceWithDifferentValues_IsAConflictAtThatField()
    {
        ShouldFail(
            Render("""
                output: metadata: name: "a"
                output: metadata: name: "b"
                """),
            CueErrorKind.Conflict,
            "definition \"demo\": output.metadata.name: conflicting values \"a\" and \"b\"");
    }

    [Fact]
    public void Render_OutputHoldsAType_IsNotConcrete()
    {
        ShouldFail(
            Render("output: spec: replicas: int"),
            CueErrorKind.NotConcrete,
            "definition \"demo\": output.spec.replicas is not concrete (value int)");
    }

    [Fact]
    public void Render_OutputHoldsDisjunctionWithoutDefault_IsNotConcrete()
    {
        ShouldFail(
            Render("output: policy: \"Always\" | \"Never\""),
            CueErrorKind.NotConcrete,
            "definition \"demo\": output.policy is not concrete (value \"Always\" | \"Never\")");
    }

    [Fact]
    public void Render_OutputUsesUnsetOptionalParameter_IsNotConcrete()
    {
        ShouldFail(
            Render("""
                output: port: parameter.port
                parameter: port?: int
                """),
            CueErrorKind.NotConcrete,
            "definition \"demo\": output.port: optional field parameter.port is not set");
    }

    [Fact]
    public void Render_UndefinedReference_IsAnEvaluationErrorWithPosition()
    {
        ShouldFail(
            Render("output: {\n    name: contxt.name\n}"),
            CueErrorKind.Evaluation,
            "definition \"demo\": output.name: reference \"contxt\" not found (line 2, column 11)");
    }

    [Fact]
    public void Render_MalformedTemplate_IsAParseErrorWithLineAndColumn()
    {
        var result = Render("output: {\n    name: \"x\n}");

        ShouldFail(result, CueErrorKind.Parse, "definition \"demo\": parse error at line 2, column 11: string literal not terminated");
        result.Error!.Position.ShouldBe(new SourcePosition(2, 11));
    }

    [Fact]
    public void Render_NoOutput_IsAnError()
    {
        ShouldFail(Render("parameter: {}"), CueErrorKind.Evaluation, "definition \"demo\": the template has no output");
    }

    [Fact]
    public void Render_StructuralCycle_IsAnErrorNotACrash()
    {
        var result = Render("output: a: output");

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Message.ShouldStartWith("definition \"demo\": output.a: structural cycle");
    }

    [Fact]
    public void Render_StepBudgetExceeded_IsALimitError()
    {
        var result = ComponentRenderer.Render("demo", TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition), new JsonObject { ["image"] = "x" }, Context, maxSteps: 50);

        ShouldFail(result, CueErrorKind.Limit, "definition \"demo\": evaluation exceeded 50 steps");
    }

    [Fact]
    public void Render_Outputs_AreExportedByName()
    {
        var result = Render("""
            output: kind: "Deployment"
            outputs: {
                service: kind: "Service"
                if parameter.ingress {
                    ingress: kind: "Ingress"
                }
            }
            parameter: ingress: *false | bool
            """, """{"ingress":true}""");

        result.Value.Outputs.Keys.ShouldBe(["service", "ingress"]);
        JsonAssert.Equal(JsonNode.Parse("""{"kind":"Ingress"}"""), result.Value.Outputs["ingress"]);
    }

    [Fact]
    public void Render_PatternConstraintViolated_NamesTheEntry()
    {
        ShouldFail(
            Render("""
                output: labels: parameter.labels
                parameter: labels: [string]: string
                """, """{"labels":{"team":"a","replicas":3}}"""),
            CueErrorKind.TypeMismatch,
            "definition \"demo\": parameter \"labels.replicas\" must be string, got 3");
    }

    [Fact]
    public void Render_NullProperties_TreatedAsNoProperties()
    {
        var result = ComponentRenderer.Render("demo", "output: port: parameter.port\nparameter: port: *80 | int", null, Context);

        JsonAssert.Equal(JsonNode.Parse("""{"port":80}"""), result.Value.Output);
    }

    [Fact]
    public void Render_SameInputsTwice_GivesEqualOutputs()
    {
        var template = TestFiles.Template(TestFiles.KubeVelaCloneSetDefinition);

        var first = ComponentRenderer.Render("clonesetservice", template, TestFiles.SeedProperties(), Context).Value;
        var second = ComponentRenderer.Render("clonesetservice", template, TestFiles.SeedProperties(), Context).Value;

        JsonAssert.Equal(first.Output, second.Output);
        first.Output.ToJsonString().ShouldBe(second.Output.ToJsonString());
    }

    [Theory]
    [InlineData("""{"replicas":-1}""", "parameter \"replicas\" must be int & >=0, got -1")]
    [InlineData("""{"replicas":"3"}""", "parameter \"replicas\" must be int & >=0, got \"3\"")]
    [InlineData("""{"tag":"latest"}""", "parameter \"tag\" must be =~\"^v\", got \"latest\"")]
    public void Render_ValueOutsideBound_IsATypeError(string properties, string message)
    {
        ShouldFail(
            Render("""
                output: {r: parameter.replicas, t: parameter.tag}
                parameter: {
                    replicas: *1 | int & >=0
                    tag: *"v1" | =~"^v"
                }
                """, properties),
            CueErrorKind.TypeMismatch,
            "definition \"demo\": " + message);
    }
}
