namespace Sluice.Controllers.Operations;

/// <summary>What became of an operator's action: done (with what was changed), or why not.</summary>
public sealed record OperationResult(OperationOutcome Outcome, string Message)
{
    public bool Done => Outcome == OperationOutcome.Done;
}

public enum OperationOutcome
{
    Done,

    /// <summary>The action does not apply in the rollout's current state; the message says why.</summary>
    Refused,
    NotFound,

    /// <summary>The rollout changed under every attempt.</summary>
    Conflicted,
}
