using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Core.Analysis;

namespace Sluice.Controllers.Tests.Analysis;

public class CelConditionsTests
{
    private static readonly CelConditions Cel = new();

    [Theory]
    [InlineData("result >= 0.99", "0.995", true)]
    [InlineData("result >= 0.99", "0.5", false)]
    [InlineData("result >= 1", "2", true)]
    [InlineData("result / 2 == 0.5", "1", true)]
    [InlineData("size(result) == 0 || result[0] < 500.0", "[]", true)]
    [InlineData("size(result) == 0 || result[0] < 500.0", "[600]", false)]
    [InlineData("result.p99 < 300", "{\"p99\":250}", true)]
    [InlineData("result['p99'] < 300 && size(result) == 1", "{\"p99\":350}", false)]
    [InlineData("result.all(x, x < 5.0)", "[1,2,3]", true)]
    [InlineData("result.exists(x, x > 2.5)", "[1,2,3]", true)]
    [InlineData("result == 'ok'", "\"ok\"", true)]
    [InlineData("result", "true", true)]
    [InlineData("result.a.b > 1.0", "{\"a\":{\"b\":2}}", true)]
    public void Evaluate_NumbersListsMapsStrings(string expression, string result, bool expected) =>
        Cel.Evaluate(expression, JsonNode.Parse(result)).ShouldBe(expected);

    [Theory]
    [InlineData("result >= 0.99", "[1]")]
    [InlineData("result.missing > 1", "{\"a\":1}")]
    [InlineData("result + 1", "1")]
    [InlineData("result[3] > 1", "[1]")]
    public void Evaluate_WrongTypeOrNotABoolean_IsAConditionException(string expression, string result) =>
        Should.Throw<ConditionException>(() => Cel.Evaluate(expression, JsonNode.Parse(result)));

    [Theory]
    [InlineData("result >= 0.99")]
    [InlineData("size(result) == 0 || result[0] < 500.0")]
    [InlineData("result.p99 < 300 // the tail")]
    [InlineData("result == \"a;b\" || result == 'c=d'")]
    [InlineData("!(result < 1) && result != 2")]
    public void Check_ValidExpressions_Compile(string expression) => Cel.Check(expression).ShouldBeNull();

    [Theory]
    [InlineData("result >", "syntax error: Line 1:8")]
    [InlineData("result >== 1", "syntax error: unexpected \"=\" at column 10")]
    [InlineData("result >= 0.99;", "syntax error: unexpected \";\" at column 15")]
    [InlineData("result = 1", "syntax error: unexpected \"=\" at column 8: CEL compares with ==")]
    [InlineData("result > 1 & result < 2", "syntax error: unexpected \"&\" at column 12: CEL's and is &&")]
    [InlineData("result ||| true", "syntax error: unexpected \"|\" after \"||\" at column 10")]
    [InlineData("(result >= 0.99", "syntax error: Line 1:15 missing ')'")]
    [InlineData("result >= 'a", "syntax error: string at column 11 is never closed")]
    [InlineData("value >= 0.99", "Undeclared reference to 'value'")]
    [InlineData("isNaN(result)", "Unbound function 'isNaN'")]
    [InlineData("", "empty expression")]
    public void Check_BadExpressions_SayWhy(string expression, string expected) =>
        Cel.Check(expression)!.ShouldContain(expected);
}
