namespace Sluice.Core.Engine;

/// <summary>The condition types the engine maintains on an AppRollout.</summary>
public static class ConditionTypes
{
    /// <summary>True while the rollout moves; its lastTransitionTime is when the current step began (the deadline clock).</summary>
    public const string Progressing = "Progressing";

    /// <summary>True while <c>paused: true</c> holds the batch loop.</summary>
    public const string BatchPaused = "BatchPaused";

    /// <summary>False when the plan has canaryMetric checks, which are not evaluated yet.</summary>
    public const string MetricsEvaluated = "MetricsEvaluated";

    /// <summary>True once the rollout has failed; the reason and message say why.</summary>
    public const string Failed = "RolloutFailed";

    /// <summary>True once the rollout has succeeded.</summary>
    public const string Succeeded = "RolloutSucceeded";

    /// <summary>False while webhooks hold a step (failurePolicy: Retry).</summary>
    public const string WebhooksPassed = "WebhooksPassed";
}
