namespace Sluice.Core.StateMachine;

/// <summary>What happens to a rollout; the transition table says where each one leads.</summary>
public enum RolloutEvent
{
    AppLocated,
    SpecVerified,
    Initialized,
    BatchInitialized,
    BatchRolledOut,
    BatchAvailable,
    BatchFinalized,
    AllBatchesFinished,
    BatchApproved,
    BatchFailed,

    /// <summary>Sluice: the plan was edited to fewer batches than the rollout has rolled; its last batch runs next.</summary>
    PlanShortened,

    /// <summary>Sluice: the rollout cannot go on outside a batch (a bad spec, a workload that cannot be taken over).</summary>
    Failed,
    Finalized,
    Modified,
    Deleted,
}
