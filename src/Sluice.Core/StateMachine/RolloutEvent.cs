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

    /// <summary>Sluice: the routes send what the batch asks.</summary>
    TrafficShifted,

    /// <summary>Sluice: the batch's pause is over (its duration passed, or it was promoted).</summary>
    PauseEnded,

    /// <summary>Sluice: every canaryMetric check of the batch passed.</summary>
    AnalysisPassed,
    BatchFinalized,
    AllBatchesFinished,
    BatchApproved,

    /// <summary>Sluice, blue/green: the last batch is done, the target fully up beside the source.</summary>
    TargetUp,

    /// <summary>Sluice, blue/green: the active Service now selects the target (one write).</summary>
    Promoted,

    /// <summary>Sluice, blue/green: the source is scaled to 0 after the scale-down delay.</summary>
    SourceScaledDown,
    BatchFailed,

    /// <summary>Sluice: the plan was edited to fewer batches than the rollout has rolled; its last batch runs next.</summary>
    PlanShortened,

    /// <summary>Sluice: the rollout cannot go on outside a batch (a bad spec, a workload that cannot be taken over).</summary>
    Failed,
    Finalized,
    Modified,
    Deleted,
}
