using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>
/// The condition types the engine maintains on an AppRollout: KubeVela's (one per rolling state, written with
/// KubeVela's names, so <c>kubectl wait --for=condition=RolloutSucceed</c> written for KubeVela works) and Sluice's
/// (<see cref="Progressing"/>, <see cref="WebhooksPassed"/>, <see cref="WaitingForPromotion"/>).
/// </summary>
public static class ConditionTypes
{
    /// <summary>Sluice: true while the rollout moves; its lastTransitionTime is when the current step began (the deadline clock).</summary>
    public const string Progressing = "Progressing";

    /// <summary>True while <c>paused: true</c> holds the batch loop.</summary>
    public const string BatchPaused = "BatchPaused";

    /// <summary>Sluice: false while webhooks hold a step (failurePolicy: Retry).</summary>
    public const string WebhooksPassed = "WebhooksPassed";

    /// <summary>Sluice: true while a batch's <c>pause: {}</c> holds it until <c>sluice rollout promote</c>.</summary>
    public const string WaitingForPromotion = "WaitingForPromotion";

    public const string SpecVerifying = "RolloutSpecVerifying";

    public const string Initializing = "RolloutInitializing";

    public const string InProgress = "RolloutInProgress";

    public const string Finalizing = "RolloutFinalizing";

    /// <summary>Sluice, blue/green.</summary>
    public const string Promoting = "RolloutPromoting";

    /// <summary>Sluice, blue/green.</summary>
    public const string ScalingDownSource = "RolloutScalingDownSource";

    public const string Failing = "RolloutFailing";

    public const string Abandoning = "RolloutAbandoning";

    public const string Deleting = "RolloutDeleting";

    /// <summary>True once the rollout has failed; the reason and message say why.</summary>
    public const string Failed = "RolloutFailed";

    /// <summary>True once the rollout has succeeded (KubeVela's spelling).</summary>
    public const string Succeeded = "RolloutSucceed";

    /// <summary>
    /// KubeVela's condition type for a rolling state (its <c>getRolloutConditionType</c>, with every batch state under
    /// <see cref="InProgress"/>), or null for <c>locatingTargetApp</c>, which has none.
    /// </summary>
    public static string? ForState(RollingState state) => state switch
    {
        RollingState.VerifyingSpec => SpecVerifying,
        RollingState.Initializing => Initializing,
        RollingState.RollingInBatches => InProgress,
        RollingState.Promoting => Promoting,
        RollingState.ScalingDownSource => ScalingDownSource,
        RollingState.Finalising => Finalizing,
        RollingState.RolloutFailing => Failing,
        RollingState.RolloutAbandoning => Abandoning,
        RollingState.RolloutDeleting => Deleting,
        RollingState.RolloutFailed => Failed,
        RollingState.RolloutSucceed => Succeeded,
        _ => null,
    };
}
