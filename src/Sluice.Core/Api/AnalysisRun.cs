namespace Sluice.Core.Api;

/// <summary>
/// The measurements of one batch's metrics (rollout.sluice.dev/v1alpha1, namespaced), owned by the rollout and
/// named <c>&lt;rollout&gt;-&lt;batch&gt;-&lt;n&gt;</c>. Its spec is self-contained (templates inlined, variables
/// resolved); the AnalysisRun controller measures until a terminal phase and records every measurement in status.
/// </summary>
public sealed record AnalysisRun
{
    public const string Group = MetricTemplate.Group;
    public const string Version = MetricTemplate.Version;
    public const string KindName = "AnalysisRun";
    public const string Plural = "analysisruns";

    /// <summary>The rollout a run belongs to (its name), for listing and pruning a rollout's runs.</summary>
    public const string RolloutLabel = "rollout.sluice.dev/rollout";

    /// <summary>The 0-based batch index a run measures.</summary>
    public const string BatchLabel = "rollout.sluice.dev/batch";

    public string ApiVersion { get; init; } = $"{Group}/{Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required AnalysisRunSpec Spec { get; init; }

    public AnalysisRunStatus? Status { get; init; }
}
