namespace Sluice.Cue.Tests;

public class CueResultTests
{
    [Fact]
    public void Value_OnFailure_ThrowsWithTheErrorMessage()
    {
        var result = CueResult<int>.Fail(new CueError(CueErrorKind.Evaluation, "boom"));

        result.IsSuccess.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => result.Value).Message.ShouldBe("No value: boom");
    }

    [Fact]
    public void Match_OnSuccessAndFailure_CallsTheMatchingBranch()
    {
        CueResult<int>.Ok(3).Match(v => v * 2, _ => -1).ShouldBe(6);
        CueResult<int>.Fail(new CueError(CueErrorKind.Parse, "bad")).Match(v => v, e => e.Message.Length).ShouldBe(3);
    }
}
