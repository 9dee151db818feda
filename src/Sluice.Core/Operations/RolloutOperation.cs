namespace Sluice.Core.Operations;

/// <summary>The operations of <c>sluice rollout</c> that change a rollout.</summary>
public enum RolloutOperation
{
    Pause,
    Resume,
    Promote,
    PromoteFull,
    Abort,
    Retry,
    Undo,
}
