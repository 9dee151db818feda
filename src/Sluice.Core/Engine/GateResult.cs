namespace Sluice.Core.Engine;

/// <summary>The outcome of a webhook gate after the failure policies were applied.</summary>
public sealed record GateResult(GateOutcome Outcome, string Message)
{
    public static GateResult Passed(string message = "passed") => new(GateOutcome.Passed, message);

    public static GateResult Failed(string message) => new(GateOutcome.Failed, message);

    public static GateResult Waiting(string message) => new(GateOutcome.Waiting, message);
}
