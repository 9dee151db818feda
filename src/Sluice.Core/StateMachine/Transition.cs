using Sluice.Core.Api;

namespace Sluice.Core.StateMachine;

/// <summary>
/// One row of the transition table. A null <see cref="FromBatch"/> matches any batch state; a null
/// <see cref="ToBatch"/> keeps the batch state as it was.
/// </summary>
public sealed record Transition(
    RollingState From,
    BatchRollingState? FromBatch,
    RolloutEvent Event,
    RollingState To,
    BatchRollingState? ToBatch,
    TransitionEffect Effect,
    string Note)
{
    public bool Matches(RollingState state, BatchRollingState? batch, RolloutEvent @event) =>
        From == state && Event == @event && (FromBatch is null || FromBatch == batch);
}
