namespace Sluice.Core.Engine;

/// <summary>How a webhook gate came out.</summary>
public enum GateOutcome
{
    Passed,

    /// <summary>Fail the rollout (failurePolicy: Fail).</summary>
    Failed,

    /// <summary>Try again later; the rollout waits (failurePolicy: Retry).</summary>
    Waiting,
}
