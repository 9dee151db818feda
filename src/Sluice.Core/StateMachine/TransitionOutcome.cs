using Sluice.Core.Api;

namespace Sluice.Core.StateMachine;

/// <summary>Where an event leads: a legal transition, or <c>rolloutFailed</c> with a message naming the state and the event.</summary>
public sealed record TransitionOutcome(
    RollingState State,
    BatchRollingState? Batch,
    TransitionEffect Effect,
    Transition? Rule,
    string? IllegalMessage)
{
    public bool IsLegal => Rule is not null;
}
