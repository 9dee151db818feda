namespace Sluice.Cue.Tests;

public class CueParserTests
{
    [Fact]
    public void Validate_WellFormedTemplate_Succeeds()
    {
        CueParser.Validate("demo", "output: {a: 1}\nparameter: {}").IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Validate_MalformedTemplate_GivesPositionAndMessage()
    {
        var error = CueParser.Validate("demo", "output: {\n  a: [1, 2}\n}").Error!;

        error.Kind.ShouldBe(CueErrorKind.Parse);
        error.Position.ShouldBe(new SourcePosition(2, 11));
        error.Message.ShouldBe("definition \"demo\": parse error at line 2, column 11: expected ']', found '}'");
    }
}
