namespace Sluice.Core.StateMachine;

/// <summary>What a transition does to the rest of the status besides the states.</summary>
public enum TransitionEffect
{
    None,

    /// <summary>currentBatch + 1.</summary>
    NextBatch,

    /// <summary>Start over: the status is reset.</summary>
    Reset,
}
