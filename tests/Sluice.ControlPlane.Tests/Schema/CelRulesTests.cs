using System.Text.Json.Nodes;
using Sluice.ControlPlane.Schema;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Schema;

public sealed class CelRulesTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private const string Schema = """
        {"type":"object","properties":{"spec":{"type":"object",
          "x-kubernetes-validations":[
            {"rule":"self.min <= self.max","message":"min must not exceed max"},
            {"rule":"self.max <= oldSelf.max","message":"max may only go down","reason":"FieldValueForbidden","fieldPath":".max"},
            {"rule":"size(self.items) < 3","messageExpression":"'too many items under max ' + string(self.max)"}],
          "properties":{"min":{"type":"integer"},"max":{"type":"integer"},
            "items":{"type":"array","items":{"type":"object","x-kubernetes-validations":[{"rule":"self.name.startsWith('x')"}],
              "properties":{"name":{"type":"string"}}}}}}}}
        """;

    [Fact]
    public void Validate_RulesHold_NoErrors()
    {
        var errors = SchemaValidator.Validate(Json(Schema), Json("""{"spec":{"min":1,"max":5,"items":[{"name":"xa"}]}}"""), null);

        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_RuleFails_MessageAtTheNodesPath()
    {
        var errors = SchemaValidator.Validate(Json(Schema), Json("""{"spec":{"min":7,"max":5,"items":[{"name":"xa"},{"name":"b"},{"name":"xc"}]}}"""), null);

        errors.Select(e => $"{e.Field}: {e.Message}").ShouldBe(
        [
            "spec: Invalid value: \"object\": min must not exceed max",
            "spec: Invalid value: \"object\": too many items under max 5",
            "spec.items[1]: Invalid value: \"object\": failed rule: self.name.startsWith('x')",
        ]);
    }

    [Fact]
    public void Validate_TransitionRule_OnlyOnUpdateAgainstTheOldValue()
    {
        var raised = Json("""{"spec":{"min":1,"max":9,"items":[]}}""");

        var created = SchemaValidator.Validate(Json(Schema), raised, null);
        var updated = SchemaValidator.Validate(Json(Schema), raised, Json("""{"spec":{"min":1,"max":5,"items":[]}}"""));
        var lowered = SchemaValidator.Validate(Json(Schema), Json("""{"spec":{"min":1,"max":4,"items":[]}}"""), Json("""{"spec":{"min":1,"max":5,"items":[]}}"""));

        created.ShouldBeEmpty();
        updated.Select(e => $"{e.Reason} {e.Field}: {e.Message}").ShouldBe(["FieldValueForbidden spec.max: Forbidden: max may only go down"]);
        lowered.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_RuleErrorsAtRuntime_IsAnInvalidValueNamingTheRule()
    {
        var errors = SchemaValidator.Validate(Json(Schema), Json("""{"spec":{"min":1,"items":[]}}"""), null);

        errors.ShouldHaveSingleItem().Message.ShouldContain("evaluating rule: self.min <= self.max");
    }

    [Fact]
    public void Check_RuleThatDoesNotCompile_NamesItsPlace()
    {
        var causes = CelRules.Check(Json("""{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"self.a >"}]}}}"""), "root");

        causes.ShouldHaveSingleItem().Field.ShouldBe("root.properties[spec].x-kubernetes-validations[0].rule");
        causes[0].Message.ShouldContain("compilation failed");
    }
}
