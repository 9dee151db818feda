namespace Sluice.Core.Engine;

/// <summary>The outcome of a webhook gate after the failure policies were applied.</summary>
public sealed record GateResult(GateOutcome Outcome, string Message)
{
    public static GateResult Passed(string message = "passed") => new(GateOutcome.Passed, message);

    public static GateResult Failed(string message) => new(GateOutcome.Failed, message);

    public static GateResult Waiting(string message) => new(GateOutcome.Waiting, message);
}

public enum GateOutcome
{
    Passed,

    /// <summary>Fail the rollout (failurePolicy: Fail).</summary>
    Failed,

    /// <summary>Try again later; the rollout waits (failurePolicy: Retry).</summary>
    Waiting,
}
