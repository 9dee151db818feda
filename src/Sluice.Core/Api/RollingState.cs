using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>The rollout's state, with KubeVela's exact strings.</summary>
[JsonConverter(typeof(ApiEnumJsonConverter<RollingState>))]
public enum RollingState
{
    [JsonStringEnumMemberName("locatingTargetApp")]
    LocatingTargetApp,

    [JsonStringEnumMemberName("verifyingSpec")]
    VerifyingSpec,

    [JsonStringEnumMemberName("initializing")]
    Initializing,

    [JsonStringEnumMemberName("rollingInBatches")]
    RollingInBatches,

    /// <summary>Sluice, blue/green: the target is fully up beside the source behind the preview Service; the active Service switches to it on promotion.</summary>
    [JsonStringEnumMemberName("promoting")]
    Promoting,

    /// <summary>Sluice, blue/green: the active Service serves the target; the source stays up for scaleDownDelaySeconds, then goes to 0.</summary>
    [JsonStringEnumMemberName("scalingDownSource")]
    ScalingDownSource,

    [JsonStringEnumMemberName("finalising")]
    Finalising,

    [JsonStringEnumMemberName("rolloutSucceed")]
    RolloutSucceed,

    [JsonStringEnumMemberName("rolloutFailing")]
    RolloutFailing,

    [JsonStringEnumMemberName("rolloutFailed")]
    RolloutFailed,

    [JsonStringEnumMemberName("rolloutAbandoning")]
    RolloutAbandoning,

    [JsonStringEnumMemberName("RolloutDeletingState")]
    RolloutDeleting,
}
