namespace Sluice.Cli.Rollouts;

/// <summary>The operations of <c>sluice rollout</c> that change a rollout.</summary>
internal enum RolloutOperation
{
    Pause,
    Resume,
    Promote,
    PromoteFull,
    Abort,
    Retry,
    Undo,
}
