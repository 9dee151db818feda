namespace Sluice.Core.Engine;

/// <summary>
/// The rollout engine: pure, deterministic for a given input and time. A reconcile observes, calls
/// <see cref="Decide"/>, applies the decision's intents in order, writes its status once, and
/// requeues. Because every intent is a desired state derived from the status and the plan (never an
/// increment), a reconcile cut short at any point is repeated without skipping or repeating a batch.
/// </summary>
public sealed class RolloutEngine(TimeProvider time)
{
    /// <summary>Transitions one decision may take when nothing needs waiting for.</summary>
    public const int MaxStepsPerDecision = 32;

    /// <summary>How soon to look again while a webhook holds a step.</summary>
    public static readonly TimeSpan WebhookRetryInterval = TimeSpan.FromSeconds(5);

    public RolloutDecision Decide(RolloutInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var decision = new DecisionBuilder(input, time.GetUtcNow());
        decision.Run();
        return decision.Build();
    }
}
