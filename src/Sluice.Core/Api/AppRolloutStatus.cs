using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>The rollout's status, with the JSON names of KubeVela's AppRollout (note <c>LastSourceAppRevision</c>).</summary>
public sealed record AppRolloutStatus
{
    public RollingState? RollingState { get; init; }

    public BatchRollingState? BatchRollingState { get; init; }

    /// <summary>0-based index of the batch being rolled.</summary>
    public int CurrentBatch { get; init; }

    public int UpgradedReplicas { get; init; }

    public int UpgradedReadyReplicas { get; init; }

    public int RolloutOriginalSize { get; init; }

    public int RolloutTargetSize { get; init; }

    /// <summary>The new pod template's hash.</summary>
    public string? TargetGeneration { get; init; }

    public string? LastAppliedPodTemplateIdentifier { get; init; }

    [JsonPropertyName("lastTargetAppRevision")]
    public string? LastTargetAppRevision { get; init; }

    [JsonPropertyName("LastSourceAppRevision")]
    public string? LastSourceAppRevision { get; init; }

    public IReadOnlyList<Condition>? Conditions { get; init; }

    /// <summary>
    /// Sluice: how many times this rollout has started (1 at first; a modified spec or a retry starts it again). Names its
    /// AnalysisRuns (<c>&lt;rollout&gt;-&lt;batch&gt;-&lt;attempt&gt;</c>), so a new start never adopts a run of an earlier one.
    /// </summary>
    public int? Attempt { get; init; }

    /// <summary>Sluice: the AnalysisRun the current batch is measured by, when it has canaryMetric checks.</summary>
    public string? AnalysisRun { get; init; }

    /// <summary>Sluice: the spec generation this status was computed from.</summary>
    public long? ObservedGeneration { get; init; }

    public Condition? Condition(string type) => Conditions?.FirstOrDefault(c => c.Type == type);
}
